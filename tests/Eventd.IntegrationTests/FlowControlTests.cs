using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Eventd.TestSupport;

namespace Eventd.IntegrationTests;

/// <summary>API.md section 2, "Flow control": a key's limits, as the receiver sees them, against the real processes.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class FlowControlTests(SharedClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private EventdCluster Eventd => fixture.Eventd;

    [Fact]
    public async Task A_rate_of_5_lets_the_receiver_see_at_most_5_starts_in_any_second_and_delivers_all_50()
    {
        var key = $"rate-{Guid.NewGuid():N}";
        var path = $"/flow/{key}";
        var due = DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeMilliseconds();
        var ids = await Eventd.CreateBatchAsync(Enumerable.Range(0, 50).Select(i => (object)new
        {
            url = Eventd.Receiver.Url(path),
            timestamp = due,
            data = new { i },
            flowControl = new { key, rate = 5 },
        }));

        var waiting = await Poll.UntilAsync(() => ReadKeyAsync(key), k => k.GetProperty("waiting").GetInt32() > 0, Deadline, "fires waiting at the key");
        Assert.Equal(5, waiting.GetProperty("rate").GetInt32());
        Assert.Equal(1, waiting.GetProperty("period").GetInt32());
        Assert.Equal(JsonValueKind.Null, waiting.GetProperty("parallelism").ValueKind);
        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count >= 50, TimeSpan.FromSeconds(90), "all 50 fires delivered");

        var arrivals = Eventd.Receiver.ReceivedOn(path).Select(r => r.At).Order().ToList();
        Assert.Equal(50, arrivals.Count);
        Assert.Equal(ids.Select(id => $"{id}.1").Order(), Eventd.Receiver.ReceivedOn(path).Select(r => r.Header("webhook-id")).Order());
        var busiest = arrivals.Select(start => arrivals.Count(at => at >= start && at < start.AddSeconds(1))).Max();
        Assert.True(busiest <= 5, $"{busiest} requests arrived within one second: {string.Join(", ", arrivals.Select(at => (at - arrivals[0]).TotalMilliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))} ms");
        Assert.True(arrivals[^1] - arrivals[0] >= TimeSpan.FromSeconds(8), $"50 fires at 5 a second took only {arrivals[^1] - arrivals[0]}");
        foreach (var id in ids)
        {
            var read = await Eventd.ReadEventAsync(id);
            Assert.Equal("delivered", read.GetProperty("status").GetString());
            Assert.Equal(1, read.GetProperty("lastDelivery").GetProperty("attempts").GetInt32());
        }

        var settled = await Poll.UntilAsync(() => ReadKeyAsync(key), k => k.GetProperty("inFlight").GetInt32() == 0, Deadline, "the key idle");
        Assert.Equal(0, settled.GetProperty("waiting").GetInt32());
    }

    [Fact]
    public async Task A_parallelism_of_2_never_holds_more_than_2_requests_open_at_a_slow_receiver()
    {
        var key = $"parallel-{Guid.NewGuid():N}";
        var path = $"/flow/{key}";
        Eventd.Receiver.TrackOpen(path);
        Eventd.Receiver.Hold = r => r.Path == path ? TimeSpan.FromMilliseconds(400) : TimeSpan.Zero;
        try
        {
            var due = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeMilliseconds();
            await Eventd.CreateBatchAsync(Enumerable.Range(0, 10).Select(i => (object)new
            {
                url = Eventd.Receiver.Url(path),
                timestamp = due,
                flowControl = new { key, parallelism = 2 },
            }));

            await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count >= 10, Deadline, "all 10 fires delivered");
            Assert.Equal(2, Eventd.Receiver.MostOpen(path));
            var read = await ReadKeyAsync(key);
            Assert.Equal(2, read.GetProperty("parallelism").GetInt32());
            Assert.Equal(JsonValueKind.Null, read.GetProperty("rate").ValueKind);
        }
        finally
        {
            Eventd.Receiver.Hold = null;
        }
    }

    [Fact]
    public async Task A_failing_attempt_under_a_key_is_retried_and_waiting_is_never_a_failed_attempt()
    {
        var key = $"retry-{Guid.NewGuid():N}";
        var path = $"/flow/{key}";
        var failures = 0;
        Eventd.Receiver.Respond = (_, r) => r.Path == path && Interlocked.Increment(ref failures) <= 1 ? (500, null) : (200, null);
        try
        {
            var due = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeMilliseconds();
            var ids = await Eventd.CreateBatchAsync(Enumerable.Range(0, 6).Select(i => (object)new
            {
                url = Eventd.Receiver.Url(path),
                timestamp = due,
                retries = 2,
                flowControl = new { key, rate = 3, period = 1 },
            }));

            await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count >= 7, Deadline, "6 fires delivered, one after a retry");
            var attempts = new List<int>();
            foreach (var id in ids)
            {
                var read = await Poll.UntilAsync(() => Eventd.ReadEventAsync(id), e => e.GetProperty("status").GetString() == "delivered", Deadline, $"{id} delivered");
                attempts.Add(read.GetProperty("lastDelivery").GetProperty("attempts").GetInt32());
            }

            Assert.Equal([1, 1, 1, 1, 1, 2], attempts.Order());
        }
        finally
        {
            Eventd.Receiver.Respond = null;
        }
    }

    [Fact]
    public async Task A_key_takes_the_limits_of_the_event_created_or_updated_last_and_the_event_shows_them()
    {
        var key = $"limits-{Guid.NewGuid():N}";
        var first = await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url("/flow/limits"), delay = 3600, flowControl = new { key, rate = 10 } });
        Assert.Equal(10, (await ReadKeyAsync(key)).GetProperty("rate").GetInt32());

        await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url("/flow/limits"), delay = 3600, flowControl = new { key, rate = 20, period = 60, parallelism = 3 } });
        var second = await ReadKeyAsync(key);
        Assert.Equal((20, 60, 3), (second.GetProperty("rate").GetInt32(), second.GetProperty("period").GetInt32(), second.GetProperty("parallelism").GetInt32()));
        Assert.Equal(key, second.GetProperty("key").GetString());
        Assert.True(second.GetProperty("ok").GetBoolean());

        using (var update = await Eventd.Http.PatchAsJsonAsync($"/eventd/v1/events/{first}", new { flowControl = new { key, parallelism = 7 } }))
        {
            Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        }

        var updated = await ReadKeyAsync(key);
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("rate").ValueKind);
        Assert.Equal(7, updated.GetProperty("parallelism").GetInt32());
        var shown = (await Eventd.ReadEventAsync(first)).GetProperty("flowControl");
        Assert.Equal(key, shown.GetProperty("key").GetString());
        Assert.Equal(7, shown.GetProperty("parallelism").GetInt32());

        using var list = await Eventd.Http.GetAsync("/eventd/v1/flow-control");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var items = (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray();
        Assert.Contains(items, item => item.GetProperty("key").GetString() == key && item.GetProperty("waiting").GetInt32() == 0);
    }

    [Fact]
    public async Task A_key_no_event_named_is_404_and_a_malformed_key_is_400()
    {
        using var unknown = await Eventd.Http.GetAsync($"/eventd/v1/flow-control/never-{Guid.NewGuid():N}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.StartsWith("key: ", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);

        using var malformed = await Eventd.Http.GetAsync("/eventd/v1/flow-control/-bad");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task A_space_cloud_trigger_with_flow_control_sets_its_key_and_its_fires_wait_under_it()
    {
        var project = $"flow{Guid.NewGuid():N}"[..20];
        var key = $"trigger-{Guid.NewGuid():N}";
        var path = $"/flow/{key}";
        using (var put = await Eventd.Http.PostAsJsonAsync(
            $"/v1/config/projects/{project}/eventing/triggers/t1",
            new { type = "flowed", url = Eventd.Receiver.Url(path), flowControl = new { key, rate = 2 } }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var read = await ReadKeyAsync(key, project);
        Assert.Equal(2, read.GetProperty("rate").GetInt32());
        for (var i = 0; i < 6; i++)
        {
            using var queued = await Eventd.Http.PostAsJsonAsync($"/v1/api/{project}/eventing/queue", new { type = "flowed", data = new { i } });
            Assert.Equal(HttpStatusCode.OK, queued.StatusCode);
        }

        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count >= 6, Deadline, "6 queued events delivered");
        var arrivals = Eventd.Receiver.ReceivedOn(path).Select(r => r.At).Order().ToList();
        var busiest = arrivals.Select(start => arrivals.Count(at => at >= start && at < start.AddSeconds(1))).Max();
        Assert.True(busiest <= 2, $"{busiest} requests arrived within one second");
    }

    [Fact]
    public async Task Synchronous_queues_on_a_flow_controlled_trigger_wait_their_turn_and_all_answer()
    {
        var project = $"sync{Guid.NewGuid():N}"[..20];
        var key = $"sync-{Guid.NewGuid():N}";
        var path = $"/flow/{key}";
        Eventd.Receiver.TrackOpen(path);
        Eventd.Receiver.Hold = r => r.Path == path ? TimeSpan.FromMilliseconds(300) : TimeSpan.Zero;
        try
        {
            using (var put = await Eventd.Http.PostAsJsonAsync(
                $"/v1/config/projects/{project}/eventing/triggers/t1",
                new { type = "synced", url = Eventd.Receiver.Url(path), flowControl = new { key, parallelism = 1 } }))
            {
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            }

            var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
            {
                using var queued = await Eventd.Http.PostAsJsonAsync($"/v1/api/{project}/eventing/queue", new { type = "synced", isSynchronous = true, data = new { i } });
                return queued.StatusCode;
            }));

            Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status));
            Assert.Equal(4, Eventd.Receiver.ReceivedOn(path).Count);
            Assert.Equal(1, Eventd.Receiver.MostOpen(path));
        }
        finally
        {
            Eventd.Receiver.Hold = null;
        }
    }

    [Fact]
    public async Task A_fire_waiting_for_its_flow_control_key_when_its_event_is_cancelled_is_never_sent()
    {
        var key = $"withdraw-{Guid.NewGuid():N}";
        var path = $"/flow/{key}";
        Eventd.Receiver.Hold = r => r.Path == path ? TimeSpan.FromSeconds(2) : TimeSpan.Zero;
        try
        {
            var due = DateTimeOffset.UtcNow.AddSeconds(2);
            var ids = new List<string>();
            for (var n = 0; n < 3; n++)
            {
                ids.Add(await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url(path), timestamp = due.AddMilliseconds(n * 20).ToUnixTimeMilliseconds(), data = new { n }, flowControl = new { key, parallelism = 1 } }));
            }

            await Poll.UntilAsync(() => ReadKeyAsync(key), k => k.GetProperty("waiting").GetInt32() == 2, Deadline, "two fires waiting at the key");
            using (var cancel = await Eventd.Http.DeleteAsync($"/eventd/v1/events/{ids[1]}"))
            {
                Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
            }

            await Poll.UntilAsync(() => ReadKeyAsync(key), k => k.GetProperty("waiting").GetInt32() == 0 && k.GetProperty("inFlight").GetInt32() == 0, Deadline, "the key idle");
            var sent = Eventd.Receiver.NumbersOn(path).Order().ToList();
            Assert.Equal([0, 2], sent);
            var withdrawn = await Eventd.ReadEventAsync(ids[1]);
            Assert.Equal("cancelled", withdrawn.GetProperty("status").GetString());
            Assert.Equal(0, withdrawn.GetProperty("lastDelivery").GetProperty("attempts").GetInt32());
        }
        finally
        {
            Eventd.Receiver.Hold = null;
        }
    }

    private async Task<JsonElement> ReadKeyAsync(string key, string? project = null)
    {
        using var response = await Eventd.Http.GetAsync($"/eventd/v1/flow-control/{key}{(project is null ? "" : $"?project={project}")}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET flow-control/{key} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
