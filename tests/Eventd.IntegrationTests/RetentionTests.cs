using System.Net;
using System.Text.Json;
using Eventd.TestSupport;

namespace Eventd.IntegrationTests;

/// <summary>
/// API.md "Retention" over real processes: what settled is removed once its retention has passed (reads
/// answer 404, lists no longer show it, its Redis keys go), a dead letter outlives it as configured, and a
/// redelivery keeps an event.
/// </summary>
[Collection(RetentionClusterCollection.Name)]
public sealed class RetentionTests(RetentionClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private EventdCluster Eventd => fixture.Eventd;

    [Fact]
    public async Task A_delivered_event_reads_404_and_leaves_every_list_once_its_retention_has_passed()
    {
        var id = await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url($"/kept/{Guid.NewGuid():N}") });
        await WaitForStatusAsync(id, "delivered");
        Assert.Contains(id, await ListedIdsAsync(""));
        Assert.Contains(id, await ListedIdsAsync("&status=delivered"));

        await Poll.UntilAsync(() => ReadStatusAsync(id), status => status == HttpStatusCode.NotFound, Deadline, "the delivered event to expire");

        await Poll.UntilAsync(() => ListedIdsAsync(""), ids => !ids.Contains(id), Deadline, "the event to leave the list");
        await Poll.UntilAsync(() => ListedIdsAsync("&status=delivered"), ids => !ids.Contains(id), Deadline, "the event to leave the delivered list");
        await Poll.UntilAsync(() => IndexedAsync(id), indexed => !indexed, Deadline, "the event's index entries to go");
        Assert.Empty(await StateKeysAsync(id));
    }

    [Fact]
    public async Task A_dead_letter_and_its_event_outlive_a_settled_event_then_go()
    {
        var path = $"/failing/{Guid.NewGuid():N}";
        Eventd.Receiver.Respond = (_, r) => r.Path == path ? (500, null) : (200, null);
        try
        {
            var failed = await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url(path), retries = 0 });
            await WaitForStatusAsync(failed, "failed");
            await Poll.UntilAsync(() => DeadLetterIdsAsync(), ids => ids.Contains(failed), Deadline, "the dead letter");

            // A control delivered after the failure: once it has gone, a settled event's retention has
            // passed for the failed one too.
            var control = await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url($"/control/{Guid.NewGuid():N}") });
            await WaitForStatusAsync(control, "delivered");
            await Poll.UntilAsync(() => ReadStatusAsync(control), status => status == HttpStatusCode.NotFound, Deadline, "the control to expire");

            Assert.Contains(failed, await DeadLetterIdsAsync());
            Assert.Equal(HttpStatusCode.OK, await ReadStatusAsync(failed));
            Assert.Contains(failed, await ListedIdsAsync("&status=failed"));

            await Poll.UntilAsync(() => DeadLetterIdsAsync(), ids => !ids.Contains(failed), Deadline, "the dead letter to expire");
            await Poll.UntilAsync(() => ReadStatusAsync(failed), status => status == HttpStatusCode.NotFound, Deadline, "the failed event to expire");
            await Poll.UntilAsync(() => ListedIdsAsync("&status=failed"), ids => !ids.Contains(failed), Deadline, "the failed event to leave its list");
        }
        finally
        {
            Eventd.Receiver.Respond = null;
        }
    }

    [Fact]
    public async Task A_redelivered_event_is_kept_past_the_retention_it_had_then_goes()
    {
        var path = $"/redelivered/{Guid.NewGuid():N}";
        var id = await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url(path), timeout = 20_000 });
        var control = await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url($"/control/{Guid.NewGuid():N}") });
        await WaitForStatusAsync(id, "delivered");
        await WaitForStatusAsync(control, "delivered");

        // The redelivery is held by the receiver: the event stays unsettled meanwhile, so it has no expiry.
        var held = TimeSpan.FromSeconds(2) + RetentionClusterFixture.Settled * 2;
        Eventd.Receiver.Hold = r => r.Path == path ? held : TimeSpan.Zero;
        try
        {
            using (var redeliver = await Eventd.Http.PostAsync($"/eventd/v1/events/{id}/redeliver", null))
            {
                Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
            }

            await Poll.UntilAsync(() => ReadStatusAsync(control), status => status == HttpStatusCode.NotFound, Deadline, "the control to expire");

            Assert.Equal("delivering", (await Eventd.ReadEventAsync(id)).GetProperty("status").GetString());
            Assert.Contains(id, await ListedIdsAsync("&status=delivering"));
            await WaitForStatusAsync(id, "delivered");
        }
        finally
        {
            Eventd.Receiver.Hold = null;
        }

        await Poll.UntilAsync(() => ReadStatusAsync(id), status => status == HttpStatusCode.NotFound, Deadline, "the redelivered event to expire");
    }

    [Fact]
    public async Task Redis_key_count_returns_to_its_baseline_once_everything_settled_and_expired()
    {
        var path = $"/baseline-failing/{Guid.NewGuid():N}";
        Eventd.Receiver.Respond = (_, r) => r.Path == path ? (500, null) : (200, null);
        try
        {
            // A first round makes whatever is kept for good (the receiver's endpoint health, the set of
            // projects with dead letters), and lets what the other tests left expire.
            await SettleAndExpireAsync(delivered: 1, failed: 1, path);
            var baseline = await Poll.UntilAsync(KeyCountAsync, _ => true, Deadline, "the key count");

            var peak = await SettleAndExpireAsync(delivered: 25, failed: 5, path, baseline);

            Assert.True(peak > baseline, $"the events added keys: {peak} over a baseline of {baseline}");
        }
        finally
        {
            Eventd.Receiver.Respond = null;
        }
    }

    /// <summary>Creates events, waits until they settled and the key count is back at <paramref name="baseline"/> (or stable); returns the count once settled.</summary>
    private async Task<long> SettleAndExpireAsync(int delivered, int failed, string failingPath, long? baseline = null)
    {
        var ids = new List<string>();
        for (var i = 0; i < delivered; i++)
        {
            ids.Add(await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url($"/baseline/{i}") }));
        }

        for (var i = 0; i < failed; i++)
        {
            ids.Add(await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url(failingPath), retries = 0 }));
        }

        foreach (var id in ids)
        {
            await Poll.UntilAsync(() => Eventd.ReadEventAsync(id), e => e.GetProperty("status").GetString() is "delivered" or "failed", Deadline, $"event {id} to settle");
        }

        var settled = await KeyCountAsync();
        foreach (var id in ids)
        {
            await Poll.UntilAsync(() => ReadStatusAsync(id), status => status == HttpStatusCode.NotFound, Deadline, $"event {id} to expire");
        }

        await Poll.UntilAsync(() => DeadLetterIdsAsync(), letters => !letters.Intersect(ids).Any(), Deadline, "the dead letters to expire");
        if (baseline is { } expected)
        {
            await Poll.UntilAsync(KeyCountAsync, count => count <= expected, Deadline, $"the key count to return to {expected}");
        }

        return settled;
    }

    private Task<JsonElement> WaitForStatusAsync(string id, string status) =>
        Poll.UntilAsync(() => Eventd.ReadEventAsync(id), e => e.GetProperty("status").GetString() == status, Deadline, $"event {id} to be {status}");

    private async Task<HttpStatusCode> ReadStatusAsync(string id)
    {
        using var response = await Eventd.Http.GetAsync($"/eventd/v1/events/{id}");
        return response.StatusCode;
    }

    private async Task<List<string>> ListedIdsAsync(string query) =>
        [.. (await GetAsync($"/eventd/v1/events?pageSize=100{query}")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];

    private async Task<List<string>> DeadLetterIdsAsync() =>
        [.. (await GetAsync("/eventd/v1/deadletters?pageSize=100")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];

    private async Task<JsonElement> GetAsync(string route)
    {
        using var response = await Eventd.Http.GetAsync(route);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>Whether any list index (by creation, by status, every project's) or due clean-up still holds the event.</summary>
    private async Task<bool> IndexedAsync(string id)
    {
        var server = Eventd.RedisDb.Multiplexer.GetServers().Single();
        await foreach (var key in server.KeysAsync(pattern: "*"))
        {
            if (await Eventd.RedisDb.KeyTypeAsync(key) == StackExchange.Redis.RedisType.SortedSet
                && (await Eventd.RedisDb.SortedSetScoreAsync(key, id) is not null || await Eventd.RedisDb.SortedSetScoreAsync(key, $"default/{id}") is not null))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<List<string>> StateKeysAsync(string id)
    {
        var keys = new List<string>();
        await foreach (var key in Eventd.RedisDb.Multiplexer.GetServers().Single().KeysAsync(pattern: $"*/state/*{id}*"))
        {
            keys.Add(key.ToString());
        }

        return keys;
    }

    private async Task<long> KeyCountAsync() => await Eventd.RedisDb.Multiplexer.GetServers().Single().DatabaseSizeAsync();
}
