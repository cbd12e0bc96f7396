using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Eventd.TestSupport;

namespace Eventd.IntegrationTests;

/// <summary>The event log with transactions (API.md section 5), against the built gateway and silo, with project keys.</summary>
[Collection(KeyedClusterCollection.Name)]
public sealed class EventLogTests(KeyedClusterFixture fixture)
{
    // The test cluster's gateway runs with the default Orleans:ClusterId.
    private const string ClusterId = "eventd";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private EventdCluster Eventd => fixture.Eventd;

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    /// <summary>A key of a project of its own (or of <paramref name="project"/>).</summary>
    private async Task<(string Secret, string Name, string Project)> NewKeyAsync(string? project = null, string environment = "production")
    {
        var name = NewName("key");
        project ??= NewName("log");
        return (await Eventd.CreateKeyAsync(name, project, environment), name, project);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string? secret, object body, string header = "X-Eventd-Secret")
    {
        var content = body as HttpContent ?? new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await Eventd.SendWithKeyAsync(HttpMethod.Post, path, secret, content, header);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<string> EmitAsync(string secret, string eventName, object? payload = null, string path = "/emit")
    {
        var (status, body) = await PostAsync(path, secret, payload is null ? new { @event = eventName } : new { @event = eventName, payload });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("success", body.GetProperty("status").GetString());
        var key = body.GetProperty("key").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", key);
        return key;
    }

    private async Task<JsonElement> QueryAsync(string secret, object query)
    {
        var (status, body) = await PostAsync("/query", secret, query);
        Assert.Equal(HttpStatusCode.OK, status);
        return body;
    }

    private async Task<string[]> KeysOfAsync(string secret, object query) =>
        [.. (await QueryAsync(secret, query)).GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("key").GetString()!)];

    private static void AssertRefused(HttpStatusCode expected, string fieldFirst, (HttpStatusCode Status, JsonElement Body) answer)
    {
        Assert.Equal(expected, answer.Status);
        Assert.Equal("error", answer.Body.GetProperty("status").GetString());
        Assert.StartsWith(fieldFirst, answer.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_emitted_event_is_seen_by_the_next_query_with_its_payload_query_and_owner()
    {
        var (secret, keyName, project) = await NewKeyAsync(environment: "staging");

        var key = await EmitAsync(secret, "user.signup", new { id = 7, plan = "pro" }, "/emit?source=integration");
        var answer = await QueryAsync(secret, new { eventName = "user.signup" });

        Assert.Equal((1, 1, 10, 1), (answer.GetProperty("total").GetInt32(), answer.GetProperty("page").GetInt32(), answer.GetProperty("pageSize").GetInt32(), answer.GetProperty("totalPages").GetInt32()));
        var row = answer.GetProperty("rows")[0];
        Assert.Equal(key, row.GetProperty("key").GetString());
        Assert.Matches("^[0-9a-f]{24}$", row.GetProperty("_id").GetString());
        Assert.Equal(("user.signup", "staging", "created", 1), (row.GetProperty("eventName").GetString(), row.GetProperty("environment").GetString(), row.GetProperty("state").GetString(), row.GetProperty("v").GetInt32()));
        Assert.Equal(7, row.GetProperty("payload").GetProperty("id").GetInt32());
        Assert.Equal("integration", row.GetProperty("query").GetProperty("source").GetString());
        Assert.Equal((project, keyName), (row.GetProperty("ownership").GetProperty("buildableId").GetString(), row.GetProperty("ownership").GetProperty("userId").GetString()));
        var createdAt = row.GetProperty("createdAt").GetInt64();
        Assert.Equal(createdAt + (long)TimeSpan.FromDays(30).TotalMilliseconds, row.GetProperty("ttl").GetInt64());
        Assert.Equal(keyName, row.GetProperty("history")[0].GetProperty("updatedBy").GetString());
        Assert.False(row.GetProperty("processing").GetProperty("hasTransactions").GetBoolean());
    }

    [Fact]
    public async Task An_emitted_event_fires_the_projects_space_cloud_triggers_of_its_type()
    {
        var (secret, _, project) = await NewKeyAsync();
        var path = $"/event-log/{Guid.NewGuid():N}";
        using var trigger = new HttpRequestMessage(HttpMethod.Post, $"/v1/config/projects/{project}/eventing/triggers/on-paid")
        {
            Content = JsonContent.Create(new { type = "order.paid", url = Eventd.Receiver.Url(path) }),
        };
        trigger.Headers.Add("X-Eventd-Secret", KeyedClusterFixture.AdminKey);
        using (var set = await Eventd.Http.SendAsync(trigger))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        await EmitAsync(secret, "order.paid", new { order = 42 });

        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count == 1, Deadline, "the trigger's delivery");
        var cloudEvent = JsonDocument.Parse(Eventd.Receiver.ReceivedOn(path)[0].Body).RootElement;
        Assert.Equal(("order.paid", $"{ClusterId}/{project}"), (cloudEvent.GetProperty("type").GetString(), cloudEvent.GetProperty("source").GetString()));
        Assert.Equal(42, cloudEvent.GetProperty("data").GetProperty("order").GetInt32());
    }

    [Fact]
    public async Task Init_transact_and_update_change_what_the_next_query_finds()
    {
        var (secret, keyName, _) = await NewKeyAsync();
        var mailed = await EmitAsync(secret, "job");
        var billed = await EmitAsync(secret, "job");

        var (initStatus, opened) = await PostAsync("/init", secret, new { key = mailed, txKey = "mailer" });
        var (_, again) = await PostAsync("/init", secret, new { key = mailed, txKey = "mailer" });

        Assert.Equal(HttpStatusCode.OK, initStatus);
        Assert.Equal(("processing", mailed, "mailer", keyName), (opened.GetProperty("state").GetString(), opened.GetProperty("key").GetString(), opened.GetProperty("txKey").GetString(), opened.GetProperty("history")[0].GetProperty("updatedBy").GetString()));
        Assert.Equal(JsonValueKind.Null, opened.GetProperty("endedAt").ValueKind);
        Assert.Equal("job", opened.GetProperty("event").GetProperty("eventName").GetString());
        Assert.Equal(opened.GetProperty("txn").GetString(), again.GetProperty("txn").GetString());
        Assert.Equal([mailed], await KeysOfAsync(secret, new { txKey = "mailer", txState = "processing" }));
        Assert.Equal([billed], await KeysOfAsync(secret, new { txKey = "mailer", txState = "does-not-exist" }));

        var (transactStatus, closed) = await PostAsync("/transact", secret, new { key = mailed, txKey = "mailer", state = "finished", output = new { sent = 1 } });

        Assert.Equal(HttpStatusCode.OK, transactStatus);
        Assert.Equal(("finished", 1), (closed.GetProperty("state").GetString(), closed.GetProperty("output").GetProperty("sent").GetInt32()));
        Assert.NotEqual(JsonValueKind.Null, closed.GetProperty("endedAt").ValueKind);
        Assert.Equal([mailed], await KeysOfAsync(secret, new { txKey = "mailer", txState = "finished" }));
        Assert.Empty(await KeysOfAsync(secret, new { txKey = "mailer", txState = "processing" }));

        var (updateStatus, row) = await PostAsync("/update", secret, new { key = billed, eventName = "job", txKey = "mailer", txState = "failed" });

        Assert.Equal(HttpStatusCode.OK, updateStatus);
        Assert.Equal((billed, "failed", 2), (row.GetProperty("key").GetString(), row.GetProperty("state").GetString(), row.GetProperty("v").GetInt32()));
        Assert.Equal([billed], await KeysOfAsync(secret, new { eventName = "job", txKey = "mailer", txState = "failed" }));
        Assert.Empty(await KeysOfAsync(secret, new { txKey = "mailer", txState = "does-not-exist" }));
        var completed = (await QueryAsync(secret, new { txKey = "mailer", txState = "finished" })).GetProperty("rows")[0];
        Assert.Equal("completed", completed.GetProperty("state").GetString());
        Assert.True(completed.GetProperty("processing").GetProperty("isCompleted").GetBoolean());
    }

    [Fact]
    public async Task An_unknown_event_or_an_unopened_transaction_is_404()
    {
        var (secret, _, _) = await NewKeyAsync();
        var key = await EmitAsync(secret, "job");
        var unknown = Guid.NewGuid().ToString("N");

        AssertRefused(HttpStatusCode.NotFound, "key:", await PostAsync("/init", secret, new { key = unknown, txKey = "mailer" }));
        AssertRefused(HttpStatusCode.NotFound, "key:", await PostAsync("/update", secret, new { key = unknown, txKey = "mailer", txState = "finished" }));
        AssertRefused(HttpStatusCode.NotFound, "txKey:", await PostAsync("/transact", secret, new { key, txKey = "mailer", state = "finished" }));
    }

    [Fact]
    public async Task Bad_input_is_refused_naming_the_field_and_stores_nothing()
    {
        var (secret, _, project) = await NewKeyAsync();

        AssertRefused(HttpStatusCode.BadRequest, "event:", await PostAsync("/emit", secret, new { payload = new { } }));
        AssertRefused(HttpStatusCode.BadRequest, "payload:", await PostAsync("/emit", secret, new { @event = "e", payload = new[] { 1 } }));
        AssertRefused(HttpStatusCode.BadRequest, "data:", await PostAsync("/emit", secret, new { @event = "e", data = 1 }));
        AssertRefused(HttpStatusCode.BadRequest, "event:", await PostAsync("/emit", secret, """{"event": "a", "event": "b"}"""));
        AssertRefused(HttpStatusCode.BadRequest, "body:", await PostAsync("/emit", secret, """{"event": """));
        AssertRefused(HttpStatusCode.UnsupportedMediaType, "Content-Type:", await PostAsync("/emit", secret, new StringContent("""{"event": "e"}""", Encoding.UTF8, "text/plain")));
        AssertRefused(HttpStatusCode.BadRequest, "pageSize:", await PostAsync("/query", secret, new { pageSize = 101 }));
        AssertRefused(HttpStatusCode.BadRequest, "txState:", await PostAsync("/query", secret, new { txState = "finished" }));
        AssertRefused(HttpStatusCode.BadRequest, "state:", await PostAsync("/transact", secret, new { key = "k", txKey = "t", state = "done" }));

        Assert.Equal(0, (await QueryAsync(secret, new { })).GetProperty("total").GetInt32());
        var server = Eventd.RedisDb.Multiplexer.GetServer(Eventd.Redis.ConnectionString);
        await foreach (var stored in server.KeysAsync(pattern: $"*/eventlog/*{project}*"))
        {
            Assert.Fail($"a refused request stored {stored}");
        }
    }

    [Fact]
    public async Task A_mismatched_event_name_on_update_is_400_and_changes_nothing()
    {
        var (secret, _, _) = await NewKeyAsync();
        var key = await EmitAsync(secret, "job");

        AssertRefused(HttpStatusCode.BadRequest, "eventName:", await PostAsync("/update", secret, new { key, eventName = "other", txKey = "t", txState = "finished" }));

        var row = (await QueryAsync(secret, new { })).GetProperty("rows")[0];
        Assert.Equal(("created", 1), (row.GetProperty("state").GetString(), row.GetProperty("v").GetInt32()));
    }

    [Fact]
    public async Task Keys_of_other_projects_or_environments_do_not_see_each_others_events()
    {
        var (production, _, project) = await NewKeyAsync();
        var (staging, _, _) = await NewKeyAsync(project, "staging");
        var (otherProject, _, _) = await NewKeyAsync();
        var ours = await EmitAsync(production, "shared");
        var theirs = await EmitAsync(staging, "shared");

        Assert.Equal([ours], await KeysOfAsync(production, new { eventName = "shared" }));
        Assert.Equal([theirs], await KeysOfAsync(staging, new { eventName = "shared" }));
        Assert.Empty(await KeysOfAsync(otherProject, new { eventName = "shared" }));
        AssertRefused(HttpStatusCode.Forbidden, "key: event", await PostAsync("/init", otherProject, new { key = ours, txKey = "t" }));
        AssertRefused(HttpStatusCode.Forbidden, "key: event", await PostAsync("/init", staging, new { key = ours, txKey = "t" }));
        AssertRefused(HttpStatusCode.Forbidden, "key: event", await PostAsync("/update", otherProject, new { key = ours, txKey = "t", txState = "finished" }));
        Assert.Equal(0, (await QueryAsync(production, new { eventName = "shared" })).GetProperty("rows")[0].GetProperty("processing").GetProperty("totalTransactions").GetInt32());
    }

    [Fact]
    public async Task The_admin_key_reaches_every_projects_events_and_queries_any_project_and_environment()
    {
        var (staging, _, project) = await NewKeyAsync(environment: "staging");
        var (otherProject, _, _) = await NewKeyAsync();
        var key = await EmitAsync(staging, "reach");

        var (status, opened) = await PostAsync("/init", KeyedClusterFixture.AdminKey, new { key, txKey = "ops" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("processing", opened.GetProperty("state").GetString());
        var row = (await QueryAsync(staging, new { txKey = "ops", txState = "processing" })).GetProperty("rows").EnumerateArray().Single();
        Assert.Equal(key, row.GetProperty("key").GetString());
        Assert.Equal("admin", row.GetProperty("history").EnumerateArray().Last().GetProperty("updatedBy").GetString());
        var (listed, rows) = await PostAsync($"/query?project={project}&environment=staging", KeyedClusterFixture.AdminKey, new { eventName = "reach" });
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Equal([key], rows.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("key").GetString()));
        var (_, production) = await PostAsync($"/query?project={project}", KeyedClusterFixture.AdminKey, new { eventName = "reach" });
        Assert.Equal(0, production.GetProperty("total").GetInt32());
        AssertRefused(HttpStatusCode.Forbidden, "project:", await PostAsync($"/query?project={project}", otherProject, new { }));
        AssertRefused(HttpStatusCode.Forbidden, "environment:", await PostAsync("/query?environment=production", staging, new { }));
    }

    [Theory]
    [InlineData("X-Eventd-Secret")]
    [InlineData("X-Buildable-Secret")]
    [InlineData("Authorization")]
    public async Task A_row_never_shows_the_secret_it_was_emitted_with(string header)
    {
        var (secret, _, _) = await NewKeyAsync();
        var (status, _) = await PostAsync("/emit", secret, new { @event = "secretive" }, header);
        Assert.Equal(HttpStatusCode.OK, status);

        var (_, answer) = await PostAsync("/query", secret, new { }, header);

        var headers = answer.GetProperty("rows")[0].GetProperty("headers");
        Assert.DoesNotContain(headers.EnumerateObject(), h => h.Name is "x-eventd-secret" or "x-buildable-secret" or "authorization");
        Assert.DoesNotContain(secret, headers.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("application/json; charset=utf-8", headers.GetProperty("content-type").GetString());
    }

    [Fact]
    public async Task The_full_name_of_an_event_is_its_platform_label_and_name_lower_cased()
    {
        var (secret, _, _) = await NewKeyAsync();

        var (status, body) = await PostAsync("/get-full-event-name", secret, new { eventName = "SignUp", platform = "Web", label = "" });

        Assert.Equal((HttpStatusCode.OK, "web.signup"), (status, body.GetProperty("fullName").GetString()));
    }

    [Fact]
    public async Task An_event_log_route_without_a_key_is_401_in_the_event_log_shape()
    {
        var answer = await PostAsync("/query", null, new { });

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("error", answer.Body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_wrong_method_on_an_event_log_route_is_405_in_the_event_log_shape()
    {
        using var response = await Eventd.Http.GetAsync("/emit");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("error", answer.GetProperty("status").GetString());
        Assert.StartsWith("method:", answer.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
