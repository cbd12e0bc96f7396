using System.Text.Json;
using Eventd.TestSupport;
using Xunit.Abstractions;

namespace Eventd.IntegrationTests;

/// <summary>
/// A silo killed while repeating events fire every two seconds: every fire an event counted reaches
/// the receiver, however its hand-off to delivery failed when the silo died.
/// </summary>
public sealed class RepeatingFailoverTests(ITestOutputHelper output)
{
    private const int Events = 20;
    private const double PeriodSeconds = 2;

    [Fact]
    public async Task Killing_a_silo_right_after_a_fire_leaves_no_gap_in_any_repeating_events_sequence()
    {
        await using var eventd = new EventdCluster();
        await eventd.StartAsync();
        var second = eventd.StartSilo();
        await Poll.UntilAsync(() => second.Output.Contains("Started silo", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the second silo to start");

        var run = Guid.NewGuid().ToString("N");
        var events = await Task.WhenAll(Enumerable.Range(0, Events).Select(async i =>
        {
            var path = $"/repeat-kill/{run}/{i}";
            var id = await eventd.CreateEventAsync(new { delay = PeriodSeconds, repeat = true, url = eventd.Receiver.Url(path) });
            var firstDue = (await eventd.ReadEventAsync(id)).GetProperty("nextFireAt").GetDateTimeOffset();
            return (Id: id, Path: path, FirstDue: firstDue);
        }));

        await Poll.UntilAsync(() => events.All(e => Seqs(eventd, e.Id, e.Path).Contains(2)), TimeSpan.FromSeconds(30), "every event's second fire");
        var killedAt = DateTimeOffset.UtcNow;
        await eventd.Silos[0].KillAsync();

        // Long enough for the death to be declared and several fires to follow it on the survivor.
        await Poll.UntilAsync(() => events.All(e => Seqs(eventd, e.Id, e.Path).DefaultIfEmpty().Max() >= 10), TimeSpan.FromSeconds(120), "every event to reach its tenth fire");
        var cancellingAt = DateTimeOffset.UtcNow;
        foreach (var e in events)
        {
            // As a client does: a 503 ("try again") while the gateway still reaches for the dead silo is retried.
            var status = await Poll.UntilAsync(
                async () =>
                {
                    using var cancel = await eventd.Http.DeleteAsync($"/eventd/v1/events/{e.Id}");
                    return (int)cancel.StatusCode;
                },
                status => status != 503,
                TimeSpan.FromSeconds(30),
                $"cancel of {e.Id}");
            Assert.Equal(200, status);
        }

        var cancelledAt = DateTimeOffset.UtcNow;

        var fireCounts = new Dictionary<string, int>();
        foreach (var e in events)
        {
            var read = await Poll.UntilAsync(() => TryReadAsync(eventd, e.Id), r => r is not null, TimeSpan.FromSeconds(30), $"a read of {e.Id}");
            Assert.Equal("cancelled", read!.Value.GetProperty("status").GetString());
            fireCounts[e.Id] = read.Value.GetProperty("fireCount").GetInt32();
        }

        var gaps = new List<string>();
        try
        {
            await Poll.UntilAsync(
                () => events.All(e => Seqs(eventd, e.Id, e.Path).SetEquals(Enumerable.Range(1, fireCounts[e.Id]))),
                TimeSpan.FromSeconds(60),
                "every counted fire of every event to arrive");
        }
        catch (TimeoutException)
        {
            gaps.AddRange(events
                .Select(e => (e.Id, Missing: Enumerable.Range(1, fireCounts[e.Id]).Except(Seqs(eventd, e.Id, e.Path)).ToList()))
                .Where(e => e.Missing.Count > 0)
                .Select(e => $"{e.Id}: fired {fireCounts[e.Id]}, never arrived: {string.Join(", ", e.Missing)}"));
        }

        output.WriteLine($"killed silo1 {(killedAt - events.Min(e => e.FirstDue)).TotalSeconds:F1} s after the first fires; cancelled {(cancellingAt - killedAt).TotalSeconds:F1}-{(cancelledAt - killedAt).TotalSeconds:F1} s after the kill; "
            + $"fires per event {fireCounts.Values.Min()}..{fireCounts.Values.Max()}; requests {events.Sum(e => eventd.Receiver.ReceivedOn(e.Path).Count)}; "
            + $"hand-offs that failed and were retried: {eventd.Silos.Sum(s => Occurrences(s.Output, "could not hand fire"))}");
        Assert.True(gaps.Count == 0, $"{gaps.Count} events have fires that never arrived:\n{string.Join('\n', gaps)}\n{eventd.Diagnostics()}");
        foreach (var e in events)
        {
            // One seq per slot: an event cannot have fired more seqs than slots fell due before its cancel.
            var slots = (int)Math.Floor((cancelledAt - e.FirstDue).TotalSeconds / PeriodSeconds) + 1;
            Assert.True(fireCounts[e.Id] <= slots, $"{e.Id} fired {fireCounts[e.Id]} times in {slots} slots");
            Assert.True(Seqs(eventd, e.Id, e.Path).Max() <= fireCounts[e.Id], $"{e.Id} delivered a seq it never counted");
        }

        await AssertEveryFireRecordedAsync(eventd, fireCounts);
    }

    private static int Occurrences(string text, string what) =>
        (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    /// <summary>The event as read, or null on a 503 (the gateway still reaching for the dead silo: try again).</summary>
    private static async Task<JsonElement?> TryReadAsync(EventdCluster eventd, string id)
    {
        using var response = await eventd.Http.GetAsync($"/eventd/v1/events/{id}");
        if ((int)response.StatusCode == 503)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("event").Clone();
    }

    /// <summary>The seqs that reached the receiver for one event, from each request's <c>webhook-id</c>.</summary>
    private static HashSet<int> Seqs(EventdCluster eventd, string id, string path) =>
        eventd.Receiver.ReceivedOn(path)
            .Select(r => r.Header("webhook-id"))
            .Where(w => w is not null && w.StartsWith($"{id}.", StringComparison.Ordinal))
            .Select(w => int.Parse(w![(id.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            .ToHashSet();

    /// <summary>
    /// Every fire's delivery reported back: the deliveries list of each event holds a 2xx attempt for
    /// every seq it counted (a fire handed off but never reported would be missing there).
    /// </summary>
    private static async Task AssertEveryFireRecordedAsync(EventdCluster eventd, IReadOnlyDictionary<string, int> fireCounts)
    {
        foreach (var (id, count) in fireCounts)
        {
            var recorded = await Poll.UntilAsync(
                async () => JsonDocument.Parse(await eventd.Http.GetStringAsync($"/eventd/v1/events/{id}/deliveries")).RootElement
                    .GetProperty("deliveries").EnumerateArray()
                    .Where(d => d.GetProperty("statusCode").ValueKind == JsonValueKind.Number && d.GetProperty("statusCode").GetInt32() is >= 200 and < 300)
                    .Select(d => d.GetProperty("seq").GetInt32())
                    .ToHashSet(),
                seqs => seqs.SetEquals(Enumerable.Range(1, count)),
                TimeSpan.FromSeconds(30),
                $"event {id}'s deliveries to list seqs 1..{count} delivered");
            Assert.Equal(count, recorded.Count);
        }
    }
}
