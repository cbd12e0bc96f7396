using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Eventd.TestSupport;

namespace Eventd.IntegrationTests;

/// <summary>
/// The Eventd v1 family on a real three-master Redis Cluster (DESIGN.md "One slot per write"): a
/// write whose keys span slots fails there with CROSSSLOT, so each test goes through the writes of one path.
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterTests(RedisClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    // A fire due while Redis was down comes within the bucket's reminder period or two of it being back (API.md: 2 minutes).
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromMinutes(2);

    private EventdCluster Eventd => fixture.Eventd;

    [Fact]
    public async Task Events_due_now_and_later_are_delivered_and_listed()
    {
        Assert.Equal(3, Eventd.RedisDb.Multiplexer.GetServers().Count(s => !s.IsReplica));
        var path = $"/cluster/{Guid.NewGuid():N}";

        // Due at once: its own grain writes it. Due in 8 s: the intake grain indexes it, places it in its bucket and writes it.
        var now = await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url(path), data = new { n = 1 } });
        var later = await Eventd.CreateEventAsync(new { delay = 8, url = Eventd.Receiver.Url(path), data = new { n = 2 } });

        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count == 2, Deadline, "both fires at the receiver");
        var received = Eventd.Receiver.ReceivedOn(path).ToDictionary(r => r.Header("webhook-id")!, r => r.Body);
        Assert.Equal("""{"n":1}""", received[$"{now}.1"]);
        Assert.Equal("""{"n":2}""", received[$"{later}.1"]);
        foreach (var id in new[] { now, later })
        {
            await Poll.UntilAsync(() => Eventd.ReadEventAsync(id), e => e.GetProperty("status").GetString() == "delivered", Deadline, $"{id} delivered");
        }

        var listed = await ListedIdsAsync("/eventd/v1/events?pageSize=100");
        var listedInProject = await ListedIdsAsync("/eventd/v1/events?pageSize=100&project=default");
        Assert.Contains(now, listed);
        Assert.Contains(later, listed);
        Assert.Contains(now, listedInProject);
        Assert.Contains(later, listedInProject);
    }

    [Fact]
    public async Task A_fire_published_on_a_channel_reaches_its_stream_clients()
    {
        // Channels of several names land in several slots: the gateway subscribes on one node, a silo publishes through another.
        var channels = Enumerable.Range(0, 3).Select(i => $"cluster-{i}-{Guid.NewGuid():N}").ToList();
        var streams = await Task.WhenAll(channels.Select(channel => SseStream.OpenAsync(Eventd.GatewayUrl, channel)));
        try
        {
            var ids = new List<string>();
            foreach (var channel in channels)
            {
                ids.Add(await Eventd.CreateEventAsync(new { delay = 1, channel, data = new { channel } }));
            }

            for (var i = 0; i < channels.Count; i++)
            {
                var fire = await streams[i].NextAsync(Deadline);
                Assert.Equal($"{ids[i]}.1", fire.Id);
                Assert.Equal(channels[i], JsonDocument.Parse(fire.Data).RootElement.GetProperty("data").GetProperty("channel").GetString());
            }
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Exhausted_fire_is_a_dead_letter_until_a_redelivery_succeeds()
    {
        var path = $"/cluster-dead/{Guid.NewGuid():N}";
        var healthy = false;
        Eventd.Receiver.Respond = (_, r) => r.Path == path && !Volatile.Read(ref healthy) ? (500, null) : (200, null);
        try
        {
            var id = await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url(path), retries = 1 });
            await Poll.UntilAsync(() => Eventd.ReadEventAsync(id), e => e.GetProperty("status").GetString() == "failed", Deadline, "the event to fail");

            // Listed both where every project's dead letters are and where its own project's are.
            var letter = await Poll.UntilAsync(() => FindDeadLetterAsync(id, ""), l => l is not null, Deadline, "the dead letter");
            Assert.NotNull(await FindDeadLetterAsync(id, "&project=default"));
            Assert.Equal(1, letter!.Value.GetProperty("seq").GetInt32());
            Assert.Equal(2, letter.Value.GetProperty("attempts").GetInt32());
            Assert.Equal("HTTP 500", letter.Value.GetProperty("lastError").GetString());

            Volatile.Write(ref healthy, true);
            using var redeliver = await Eventd.Http.PostAsync($"/eventd/v1/events/{id}/redeliver", null);
            Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);

            await Poll.UntilAsync(() => Eventd.ReadEventAsync(id), e => e.GetProperty("status").GetString() == "delivered", Deadline, "the redelivery");
            Assert.Equal(3, Eventd.Receiver.ReceivedOn(path).Count);
            Assert.Null(await FindDeadLetterAsync(id, ""));
            Assert.Null(await FindDeadLetterAsync(id, "&project=default"));
        }
        finally
        {
            Eventd.Receiver.Respond = null;
        }
    }

    [Fact]
    public async Task Create_retried_with_one_idempotency_key_creates_one_event()
    {
        var key = $"cluster-{Guid.NewGuid():N}";
        var before = await Eventd.StoredEventCountAsync();

        using var first = await CreateWithKeyAsync(key);
        using var retried = await CreateWithKeyAsync(key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal("true", Assert.Single(retried.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retried.Content.ReadAsStringAsync());
        Assert.Equal(before + 1, await Eventd.StoredEventCountAsync());
    }

    [Fact]
    public async Task Event_pending_while_every_redis_node_restarts_is_delivered_afterwards()
    {
        var path = $"/cluster-restart/{Guid.NewGuid():N}";
        var pending = await Eventd.CreateEventAsync(new { delay = 15, url = Eventd.Receiver.Url(path) });
        var farOff = await Eventd.CreateEventAsync(new { delay = 3600, channel = "cluster-restart" });

        await fixture.Redis.StopAsync();
        await Poll.UntilAsync(async () => (await Eventd.Http.GetAsync("/readyz")).StatusCode, s => s == HttpStatusCode.ServiceUnavailable, Deadline, "readyz 503 without Redis");
        await fixture.Redis.StartAsync();
        await Eventd.WaitReadyAsync();

        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count >= 1, RecoveryDeadline, "the pending event after the restart");
        Assert.Equal($"{pending}.1", Eventd.Receiver.ReceivedOn(path)[0].Header("webhook-id"));
        await Poll.UntilAsync(() => Eventd.ReadEventAsync(pending), e => e.GetProperty("status").GetString() == "delivered", Deadline, "delivered");
        Assert.Equal("scheduled", (await Eventd.ReadEventAsync(farOff)).GetProperty("status").GetString());
    }

    [Fact]
    public void Keys_written_in_one_transaction_share_a_slot_and_every_projects_shards_spread_over_the_nodes()
    {
        // The layout README.md documents: {serviceId/deadletters/project} and its /entries, sixteen shards for '*'.
        var redis = Eventd.RedisDb.Multiplexer;
        var shards = Enumerable.Range(0, 16).Select(shard => $"{{eventd/deadletters/*/{shard}}}").ToList();

        Assert.Equal(redis.HashSlot("{eventd/deadletters/default}"), redis.HashSlot("{eventd/deadletters/default}/entries"));
        Assert.All(shards, key => Assert.Equal(redis.HashSlot(key), redis.HashSlot($"{key}/entries")));
        Assert.Equal(3, shards.Select(NodeOf).Distinct().Count());
        Assert.Equal(3, Enumerable.Range(0, 16).Select(shard => NodeOf($"{{eventd/events/*/{shard}}}")).Distinct().Count());
    }

    private EndPoint? NodeOf(string key) => Eventd.RedisDb.IdentifyEndpoint(key);

    private async Task<HttpResponseMessage> CreateWithKeyAsync(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/eventd/v1/events")
        {
            Content = new StringContent("""{"delay": 3600, "channel": "cluster-idempotency"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return await Eventd.Http.SendAsync(request);
    }

    private async Task<List<string>> ListedIdsAsync(string path)
    {
        var page = await Eventd.Http.GetFromJsonAsync<JsonElement>(path);
        Assert.True(page.GetProperty("ok").GetBoolean(), page.ToString());
        return [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];
    }

    private async Task<JsonElement?> FindDeadLetterAsync(string id, string project)
    {
        var page = await Eventd.Http.GetFromJsonAsync<JsonElement>($"/eventd/v1/deadletters?pageSize=100{project}");
        Assert.True(page.GetProperty("ok").GetBoolean(), page.ToString());
        return page.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("id").GetString() == id).Select(i => (JsonElement?)i).FirstOrDefault();
    }
}
