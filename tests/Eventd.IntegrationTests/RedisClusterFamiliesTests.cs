using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Eventd.TestSupport;

namespace Eventd.IntegrationTests;

/// <summary>
/// Every API family but Eventd v1 (<see cref="RedisClusterTests"/>) on a real three-master Redis Cluster, with
/// keys, as a client calls them (DESIGN.md "One slot per write"): project keys, Space Cloud triggers and
/// queues, the webhook register, <c>Idempotency-Key</c> on those, and the event log (<see cref="RedisClusterEventLogTests"/>);
/// and Eventd v1's status-filtered list as a project key reads it.
/// </summary>
[Collection(KeyedRedisClusterCollection.Name)]
public sealed class RedisClusterFamiliesTests(KeyedRedisClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private EventdCluster Eventd => fixture.Eventd;

    private KeyedCalls Calls => new(Eventd);

    [Fact]
    public async Task A_project_key_is_answered_once_listed_used_and_refused_once_revoked()
    {
        var (name, project) = (KeyedCalls.Unique("key"), KeyedCalls.Unique("proj"));

        using var created = await Calls.SendAsync(HttpMethod.Post, "/v1/keys", new { name, project, environment = "staging" });
        using var duplicate = await Calls.SendAsync(HttpMethod.Post, "/v1/keys", new { name, project });

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var answer = await KeyedCalls.JsonAsync(created);
        Assert.Equal("success", answer.GetProperty("status").GetString());
        var secret = answer.GetProperty("key").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", secret);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        var listText = await Calls.TextAsync(HttpMethod.Get, "/v1/keys");
        var listed = JsonDocument.Parse(listText).RootElement.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("name").GetString() == name);
        Assert.Equal((project, "staging"), (listed.GetProperty("project").GetString(), listed.GetProperty("environment").GetString()));
        Assert.DoesNotContain(secret, listText, StringComparison.Ordinal);

        var path = $"/cluster-key/{Guid.NewGuid():N}";
        using var create = await Calls.SendAsync(HttpMethod.Post, "/eventd/v1/events", new { url = Eventd.Receiver.Url(path), data = new { n = 1 } }, secret);
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        var id = (await KeyedCalls.JsonAsync(create)).GetProperty("id").GetString()!;
        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count == 1, Deadline, "the key's event at the receiver");
        Assert.Equal(project, (await Eventd.ReadEventAsyncWith(id, secret)).GetProperty("project").GetString());

        using var revoked = await Calls.SendAsync(HttpMethod.Delete, $"/v1/keys/{name}");
        using var refused = await Calls.SendAsync(HttpMethod.Post, "/eventd/v1/events", new { url = Eventd.Receiver.Url(path) }, secret);
        using var revokedAgain = await Calls.SendAsync(HttpMethod.Delete, $"/v1/keys/{name}");

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, revokedAgain.StatusCode);
        Assert.DoesNotContain($"\"{name}\"", await Calls.TextAsync(HttpMethod.Get, "/v1/keys"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_status_filter_lists_a_delivered_and_a_scheduled_event_each_under_its_own_status_only()
    {
        var (name, project) = (KeyedCalls.Unique("key"), KeyedCalls.Unique("proj"));
        var secret = (await Calls.OkJsonAsync(HttpMethod.Post, "/v1/keys", new { name, project })).GetProperty("key").GetString()!;
        var path = $"/cluster-status/{Guid.NewGuid():N}";

        // Due now, it is written by its grain at each transition; a far one by the intake, without its grain.
        var delivered = await CreateAsync(new { url = Eventd.Receiver.Url(path) }, secret);
        var scheduled = await CreateAsync(new { url = Eventd.Receiver.Url(path), delay = 3600 }, secret);

        await Poll.UntilAsync(() => ListedAsync("?status=delivered", secret), ids => ids.SequenceEqual([delivered]), Deadline, "the delivered event listed as delivered");
        Assert.Equal([scheduled], await ListedAsync("?status=scheduled", secret));
        Assert.Empty(await ListedAsync("?status=delivering", secret));

        // The admin key lists every project's: the shards of the every-project sets.
        Assert.Equal([delivered], await ListedAsync($"?status=delivered&q={path}"));
        Assert.Equal([scheduled], await ListedAsync($"?status=scheduled&q={path}"));
    }

    private async Task<string> CreateAsync(object body, string key)
    {
        using var created = await Calls.SendAsync(HttpMethod.Post, "/eventd/v1/events", body, key);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await KeyedCalls.JsonAsync(created)).GetProperty("id").GetString()!;
    }

    private async Task<List<string>> ListedAsync(string query, string key = KeyedCalls.Admin) =>
        [.. (await Calls.OkJsonAsync(HttpMethod.Get, $"/eventd/v1/events{query}", key: key)).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];

    [Fact]
    public async Task A_queued_event_reaches_both_triggers_of_its_type_as_one_cloud_event_and_reads_back_delivered()
    {
        var project = KeyedCalls.Unique("sc");
        var (first, second) = ($"/cluster-sc-a/{Guid.NewGuid():N}", $"/cluster-sc-b/{Guid.NewGuid():N}");
        await Calls.SetTriggerAsync(project, "first", new { type = "sent-email", url = Eventd.Receiver.Url(first) });
        await Calls.SetTriggerAsync(project, "second", new { type = "sent-email", url = Eventd.Receiver.Url(second) });

        using var queued = await Calls.SendAsync(HttpMethod.Post, $"/v1/api/{project}/eventing/queue", new { type = "sent-email", data = new { to = "a@b.c" } });

        Assert.Equal(HttpStatusCode.OK, queued.StatusCode);
        var id = (await KeyedCalls.JsonAsync(queued)).GetProperty("id").GetString()!;
        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(first).Count == 1 && Eventd.Receiver.ReceivedOn(second).Count == 1, Deadline, "both deliveries");
        foreach (var request in Eventd.Receiver.ReceivedOn(first).Concat(Eventd.Receiver.ReceivedOn(second)))
        {
            var cloudEvent = JsonDocument.Parse(request.Body).RootElement;
            Assert.Equal((id, "sent-email", "a@b.c"), (cloudEvent.GetProperty("id").GetString(), cloudEvent.GetProperty("type").GetString(), cloudEvent.GetProperty("data").GetProperty("to").GetString()));
        }

        var read = await Poll.UntilAsync(() => Calls.ReadQueuedAsync(project, id), e => e.GetProperty("status").GetString() == "delivered", Deadline, "the queued event delivered");
        var deliveries = read.GetProperty("deliveries").EnumerateArray().OrderBy(d => d.GetProperty("trigger").GetString()).ToList();
        Assert.Equal(["first", "second"], deliveries.Select(d => d.GetProperty("trigger").GetString()));
        Assert.All(deliveries, d => Assert.Equal(("delivered", 1, 200), (d.GetProperty("status").GetString(), d.GetProperty("attempts").GetInt32(), d.GetProperty("statusCode").GetInt32())));
    }

    [Fact]
    public async Task A_synchronous_queue_answers_with_the_receivers_status_and_content_type()
    {
        var project = KeyedCalls.Unique("sc");
        var path = $"/cluster-sc-sync/{Guid.NewGuid():N}";
        Eventd.Receiver.Respond = (_, r) => r.Path == path ? (202, new Dictionary<string, string> { ["Content-Type"] = "text/plain" }) : (200, null);
        try
        {
            await Calls.SetTriggerAsync(project, "sync", new { type = "charge", url = Eventd.Receiver.Url(path) });

            using var answer = await Calls.SendAsync(HttpMethod.Post, $"/v1/api/{project}/eventing/queue", new { type = "charge", isSynchronous = true, data = new { amount = 5 } });

            Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
            Assert.Equal("text/plain", answer.Content.Headers.ContentType?.MediaType);
            var sent = JsonDocument.Parse(Assert.Single(Eventd.Receiver.ReceivedOn(path)).Body).RootElement;
            Assert.Equal(5, sent.GetProperty("data").GetProperty("amount").GetInt32());
            var delivery = (await Calls.ReadQueuedAsync(project, sent.GetProperty("id").GetString()!)).GetProperty("deliveries")[0];
            Assert.Equal(("sync", "delivered", 1, 202), (delivery.GetProperty("trigger").GetString(), delivery.GetProperty("status").GetString(), delivery.GetProperty("attempts").GetInt32(), delivery.GetProperty("statusCode").GetInt32()));
        }
        finally
        {
            Eventd.Receiver.Respond = null;
        }
    }

    [Fact]
    public async Task A_hook_triggered_by_post_and_get_delivers_its_user_arguments_and_body_counts_both_and_is_gone_once_deleted()
    {
        var path = $"/cluster-hook/{Guid.NewGuid():N}";
        var id = await Calls.RegisterHookAsync(new { userid = "u-cluster", plan = "pro", url = Eventd.Receiver.Url(path) });

        using var byPost = await Calls.SendAsync(HttpMethod.Post, $"/webhook/{id}", new { order = 7 });
        using var byGet = await Calls.SendAsync(HttpMethod.Get, $"/webhook/{id}");

        foreach (var triggered in new[] { byPost, byGet })
        {
            Assert.Equal(HttpStatusCode.Created, triggered.StatusCode);
            var answer = await KeyedCalls.JsonAsync(triggered);
            Assert.Equal(("web hook triggered", id), (answer.GetProperty("message").GetString(), answer.GetProperty("id").GetString()));
        }

        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count == 2, Deadline, "both triggers' deliveries");
        var payloads = Eventd.Receiver.ReceivedOn(path).Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.All(payloads, p => Assert.Equal((id, "u-cluster", "pro"), (p.GetProperty("id").GetString(), p.GetProperty("userid").GetString(), p.GetProperty("args").GetProperty("plan").GetString())));
        Assert.All(payloads, p => Assert.True(p.GetProperty("triggeredAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow));
        Assert.Contains(payloads, p => p.GetProperty("body").ValueKind == JsonValueKind.Object && p.GetProperty("body").GetProperty("order").GetInt32() == 7);
        Assert.Contains(payloads, p => p.GetProperty("body").ValueKind == JsonValueKind.Null);
        var listed = Assert.Single(await Calls.ListedHooksAsync(), h => h.GetProperty("id").GetString() == id);
        Assert.Equal(2, listed.GetProperty("triggerCount").GetInt64());

        using var deleted = await Calls.SendAsync(HttpMethod.Delete, $"/webhook/{id}");
        using var afterDelete = await Calls.SendAsync(HttpMethod.Post, $"/webhook/{id}", new { order = 8 });

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterDelete.StatusCode);
        Assert.Equal("webhook ID not found", (await KeyedCalls.JsonAsync(afterDelete)).GetProperty("error").GetString());
        Assert.DoesNotContain(await Calls.ListedHooksAsync(), h => h.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task A_registration_retried_with_its_idempotency_key_answers_the_first_id_and_registers_once()
    {
        var key = Guid.NewGuid().ToString("N");
        var before = await Calls.HookTotalAsync();

        using var first = await Calls.SendAsync(HttpMethod.Post, "/webhook", new { userid = "once-on-a-cluster" }, idempotencyKey: key);
        using var retried = await Calls.SendAsync(HttpMethod.Post, "/webhook", new { userid = "once-on-a-cluster" }, idempotencyKey: key);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("true", Assert.Single(retried.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retried.Content.ReadAsStringAsync());
        Assert.Equal(before + 1, await Calls.HookTotalAsync());
    }

    [Fact]
    public async Task A_queue_retried_with_its_idempotency_key_answers_the_first_id_and_delivers_once()
    {
        var project = KeyedCalls.Unique("sc");
        var path = $"/cluster-sc-once/{Guid.NewGuid():N}";
        var key = Guid.NewGuid().ToString("N");
        await Calls.SetTriggerAsync(project, "once", new { type = "order", url = Eventd.Receiver.Url(path) });

        using var first = await Calls.SendAsync(HttpMethod.Post, $"/v1/api/{project}/eventing/queue", new { type = "order" }, idempotencyKey: key);
        using var retried = await Calls.SendAsync(HttpMethod.Post, $"/v1/api/{project}/eventing/queue", new { type = "order" }, idempotencyKey: key);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("true", Assert.Single(retried.Headers.GetValues("Idempotent-Replayed")));
        var id = (await KeyedCalls.JsonAsync(first)).GetProperty("id").GetString()!;
        Assert.Equal(id, (await KeyedCalls.JsonAsync(retried)).GetProperty("id").GetString());
        await Poll.UntilAsync(() => Calls.ReadQueuedAsync(project, id), e => e.GetProperty("status").GetString() == "delivered", Deadline, "the queued event delivered");

        // Every delivery of a queue is an Eventd event of its project: one trigger, one queue, one event.
        using var events = await Calls.SendAsync(HttpMethod.Get, $"/eventd/v1/events?project={project}");
        Assert.Equal(1, (await KeyedCalls.JsonAsync(events)).GetProperty("total").GetInt64());
        Assert.Equal(id, JsonDocument.Parse(Assert.Single(Eventd.Receiver.ReceivedOn(path)).Body).RootElement.GetProperty("id").GetString());
    }
}
