using System.Net;
using System.Text;
using System.Text.Json;
using Eventd.TestSupport;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Eventd.IntegrationTests;

/// <summary>
/// What an operator meets: a silo crashing while events are due, everything stopped with
/// fires and retries pending, Redis restarting. Each test runs its own Eventd.
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan DeliveryDeadline = TimeSpan.FromSeconds(120);

    // API.md section 2: a fire due while nothing ran is delivered within 2 minutes of the cluster being ready again.
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Killing_one_of_two_silos_loses_no_event_and_duplicates_keep_their_webhook_id()
    {
        await using var eventd = new EventdCluster();
        await eventd.StartAsync();
        var second = eventd.StartSilo();
        await Poll.UntilAsync(() => second.Output.Contains("Started silo", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the second silo to start");
        await Poll.UntilAsync(() => eventd.ActiveSilosAsync(), n => n == 2, TimeSpan.FromSeconds(30), "both silos active in the membership table");

        var fires = await CreateSpreadAsync(eventd, "kill", count: 50, from: TimeSpan.FromSeconds(3), to: TimeSpan.FromSeconds(8));
        var created = DateTimeOffset.UtcNow;
        await Poll.UntilAsync(() => DateTimeOffset.UtcNow >= created.AddSeconds(2), TimeSpan.FromSeconds(10), "2 s after the creates");
        var killedAt = DateTimeOffset.UtcNow;
        await eventd.Silos[0].KillAsync();
        var reads = ReadEveryTenthOfASecondAsync(eventd, fires[^1].Id, TimeSpan.FromSeconds(6));
        var declaredDead = WhenDoneAsync(Poll.UntilAsync(() => eventd.ActiveSilosAsync(), n => n == 1, TimeSpan.FromSeconds(60), "silo1 to be declared dead"));

        var lost = await WaitDeliveredAsync(eventd, fires, DeliveryDeadline);
        var whileDead = fires.Where(f => f.Due >= killedAt).ToList();
        var lateWhileDead = whileDead.Select(f => Lateness(eventd, f)).OfType<TimeSpan>().Order().ToList();
        output.WriteLine($"{fires.Count} events due {Seconds(fires[0].Due - killedAt)}..{Seconds(fires[^1].Due - killedAt)} s from the kill; "
            + $"silo1 declared dead {Seconds(await declaredDead - killedAt)} s after it");
        if (lateWhileDead.Count > 0)
        {
            output.WriteLine($"{whileDead.Count} fires due while silo1 was dead: worst lateness {Seconds(lateWhileDead[^1])} s, median {Seconds(lateWhileDead[lateWhileDead.Count / 2])} s, "
                + $"{lateWhileDead.Count(l => l > TimeSpan.FromSeconds(1))} later than 1 s (their grain was on silo1)");
        }

        output.WriteLine($"lost: {lost.Count}; duplicate requests: {fires.Sum(f => Math.Max(0, eventd.Receiver.ReceivedOn(f.Path).Count - 1))}");
        var answers = await reads;
        output.WriteLine($"reads every 0.1 s for 6 s after the kill: {answers.Count(r => r.Status == 503)} answered 503, "
            + $"{answers.Count(r => r.Status is null)} got no answer within 30 s, the first 200 was sent {answers.Where(r => r.Status == 200).Select(r => Seconds(r.Sent)).FirstOrDefault("-")} s after the kill");
        Assert.True(whileDead.Count > 0, "every event was due before the kill (the creates were too slow): the scenario did not happen");
        Assert.True(lost.Count == 0, $"{lost.Count} of {fires.Count} events never reached the receiver:\n{await ExplainAsync(eventd, lost)}");
        AssertOneWebhookIdPerFire(eventd, fires);
        await AssertStatusDeliveredAsync(eventd, fires);
    }

    [Fact]
    public async Task Fires_and_a_retry_pending_at_a_full_stop_are_delivered_after_restart()
    {
        await using var eventd = new EventdCluster();
        await eventd.StartAsync();
        var retryPath = $"/full-stop/{Guid.NewGuid():N}/retry";
        var retryCalls = 0;
        eventd.Receiver.Respond = (_, r) => r.Path == retryPath && Interlocked.Increment(ref retryCalls) == 1
            ? (503, new Dictionary<string, string> { ["Retry-After"] = "4" })
            : (200, null);
        var retryId = await eventd.CreateEventAsync(new { url = eventd.Receiver.Url(retryPath), retries = 3 });
        await Poll.UntilAsync(() => eventd.Receiver.ReceivedOn(retryPath).Count >= 1, TimeSpan.FromSeconds(30), "the first attempt, answered 503");
        var fires = await CreateSpreadAsync(eventd, "full-stop", count: 10, from: TimeSpan.FromSeconds(2), to: TimeSpan.FromSeconds(6));

        var stoppingAt = DateTimeOffset.UtcNow;
        await eventd.StopAllAsync();
        var stoppedAt = DateTimeOffset.UtcNow;
        var beforeStop = fires.Count(f => eventd.Receiver.ReceivedOn(f.Path).Count > 0);
        var retriedBeforeStop = eventd.Receiver.ReceivedOn(retryPath).Count > 1;
        await Poll.UntilAsync(() => DateTimeOffset.UtcNow > fires[^1].Due.AddSeconds(1), TimeSpan.FromSeconds(30), "every due time to pass while stopped");
        eventd.StartSilo();
        eventd.StartGateway();
        await eventd.WaitReadyAsync();
        var readyAt = DateTimeOffset.UtcNow;

        var retryFire = new Fire(retryId, retryPath, default);
        var all = fires.Append(retryFire).ToList();
        var lost = await WaitDeliveredAsync(eventd, all, RecoveryDeadline, f => f == retryFire
            ? eventd.Receiver.ReceivedOn(retryPath).Count >= 2
            : eventd.Receiver.ReceivedOn(f.Path).Count >= 1);
        var retryAttempts = eventd.Receiver.ReceivedOn(retryPath);
        var afterReady = all.SelectMany(f => eventd.Receiver.ReceivedOn(f.Path)).Where(r => r.At >= readyAt).Select(r => r.At - readyAt).ToList();
        output.WriteLine($"the stop took {Seconds(stoppedAt - stoppingAt)} s and ended {Seconds(stoppedAt - fires[0].Due)} s after the first due time; {beforeStop} of {fires.Count} fires arrived before it ended; "
            + $"ready again {Seconds(readyAt - fires[^1].Due)} s after the last due time; {afterReady.Count} requests after that, the last {(afterReady.Count > 0 ? Seconds(afterReady.Max()) : "-")} s after ready");
        output.WriteLine($"retried fire: first attempt {Seconds(retryAttempts[0].At - stoppingAt)} s from the stop's start, second {(retryAttempts.Count > 1 ? Seconds(retryAttempts[1].At - stoppingAt) : "-")} s "
            + $"({(retriedBeforeStop ? "before" : "after")} the stop ended), {retryAttempts.Count} requests in all");

        Assert.True(lost.Count == 0, $"{lost.Count} fires not delivered within {RecoveryDeadline.TotalSeconds} s of ready:\n{await ExplainAsync(eventd, lost)}");
        AssertOneWebhookIdPerFire(eventd, all);
        await AssertStatusDeliveredAsync(eventd, all);
    }

    [Fact]
    public async Task Events_due_around_a_Redis_restart_are_delivered_and_readiness_returns()
    {
        await using var eventd = new EventdCluster();
        await eventd.StartAsync();
        var fires = await CreateSpreadAsync(eventd, "redis-restart", count: 10, from: TimeSpan.FromSeconds(5), to: TimeSpan.FromSeconds(10));

        // Down from 1 s before the first due time for about 2 s, so the first fires fall due without Redis.
        await Poll.UntilAsync(() => DateTimeOffset.UtcNow >= fires[0].Due.AddSeconds(-1), TimeSpan.FromSeconds(10), "1 s before the first due time");
        await eventd.Redis.StopAsync();
        var downAt = DateTimeOffset.UtcNow;
        await Poll.UntilAsync(() => DateTimeOffset.UtcNow >= downAt.AddSeconds(2), TimeSpan.FromSeconds(10), "Redis to be down 2 s");
        await eventd.Redis.StartAsync();
        var upAt = DateTimeOffset.UtcNow;

        var lost = await WaitDeliveredAsync(eventd, fires, DeliveryDeadline);
        var dueWhileDown = fires.Where(f => f.Due >= downAt && f.Due <= upAt).ToList();
        output.WriteLine($"Redis down {Seconds(upAt - downAt)} s; {dueWhileDown.Count} of {fires.Count} fires due meanwhile");
        foreach (var fire in fires)
        {
            output.WriteLine($"  due {Seconds(fire.Due - downAt),6} s from the stop: {(Lateness(eventd, fire) is { } l ? $"arrived {Seconds(l)} s late" : "never arrived")}");
        }

        Assert.True(lost.Count == 0, $"{lost.Count} of {fires.Count} events never reached the receiver:\n{await ExplainAsync(eventd, lost)}");
        var ready = await Poll.UntilAsync(async () => (await eventd.Http.GetAsync("/readyz")).StatusCode, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "readyz 200 with Redis back");
        Assert.Equal(HttpStatusCode.OK, ready);
        AssertOneWebhookIdPerFire(eventd, fires);
        await AssertStatusDeliveredAsync(eventd, fires);
    }

    [Fact]
    public async Task A_rolling_restart_of_two_silos_loses_no_event()
    {
        await using var eventd = new EventdCluster();
        await eventd.StartAsync();
        await eventd.StartSiloUntilActiveAsync(2, "both silos active");
        var fires = await CreateSpreadAsync(eventd, "rolling", count: 30, from: TimeSpan.FromSeconds(2), to: TimeSpan.FromSeconds(20));

        // One silo at a time, gracefully (SIGTERM), each replaced before the next goes.
        foreach (var silo in eventd.Silos.ToList())
        {
            await silo.StopAsync();
            await eventd.StartSiloUntilActiveAsync(2, "the replacement silo to join");
        }

        var lost = await WaitDeliveredAsync(eventd, fires, DeliveryDeadline);
        output.WriteLine($"rolling restart: {fires.Count} events, lost {lost.Count}, worst lateness {Seconds(fires.Select(f => Lateness(eventd, f) ?? TimeSpan.Zero).Max())} s");
        Assert.True(lost.Count == 0, $"{lost.Count} of {fires.Count} events never reached the receiver:\n{await ExplainAsync(eventd, lost)}");
        AssertOneWebhookIdPerFire(eventd, fires);
        await AssertStatusDeliveredAsync(eventd, fires);
    }

    /// <summary>One event with its own receiver path, and its due time as the gateway read it back.</summary>
    private sealed record Fire(string Id, string Path, DateTimeOffset Due);

    /// <summary>
    /// Creates events due evenly from <paramref name="from"/> to <paramref name="to"/> ahead, each to its
    /// own path, all at once so a slow machine does not eat into the time before they are due.
    /// </summary>
    private static async Task<List<Fire>> CreateSpreadAsync(EventdCluster eventd, string scenario, int count, TimeSpan from, TimeSpan to)
    {
        var run = Guid.NewGuid().ToString("N");
        var first = DateTimeOffset.UtcNow + from;
        var step = (to - from) / (count - 1);
        return (await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var path = $"/{scenario}/{run}/{i}";
            var asked = DateTimeOffset.FromUnixTimeMilliseconds((first + (step * i)).ToUnixTimeMilliseconds());
            var id = await eventd.CreateEventAsync(new { timestamp = asked.ToUnixTimeMilliseconds(), url = eventd.Receiver.Url(path) });
            var next = (await eventd.ReadEventAsync(id)).GetProperty("nextFireAt");
            return new Fire(id, path, next.ValueKind == JsonValueKind.Null ? asked : next.GetDateTimeOffset());
        }))).ToList();
    }

    /// <summary>Waits until every fire has reached the receiver (by default: once); answers those that never did.</summary>
    private static async Task<List<Fire>> WaitDeliveredAsync(EventdCluster eventd, IReadOnlyList<Fire> fires, TimeSpan timeout, Func<Fire, bool>? arrived = null)
    {
        arrived ??= f => eventd.Receiver.ReceivedOn(f.Path).Count > 0;
        try
        {
            await Poll.UntilAsync(() => fires.All(arrived), timeout, "every fire to reach the receiver");
        }
        catch (TimeoutException)
        {
        }

        return fires.Where(f => !arrived(f)).ToList();
    }

    /// <summary>At least once: a fire may come again, but only ever as <c>{id}.1</c>.</summary>
    private static void AssertOneWebhookIdPerFire(EventdCluster eventd, IEnumerable<Fire> fires)
    {
        foreach (var fire in fires)
        {
            Assert.All(eventd.Receiver.ReceivedOn(fire.Path), r => Assert.Equal($"{fire.Id}.1", r.Header("webhook-id")));
        }
    }

    /// <summary>Every event reads back <c>delivered</c>: the fire's outcome reached its event.</summary>
    private static async Task AssertStatusDeliveredAsync(EventdCluster eventd, IEnumerable<Fire> fires)
    {
        foreach (var fire in fires)
        {
            await Poll.UntilAsync(() => eventd.ReadEventAsync(fire.Id), e => e.GetProperty("status").GetString() == "delivered", TimeSpan.FromSeconds(60), $"event {fire.Id} to read delivered");
        }
    }

    /// <summary>What a client of the gateway sees meanwhile: a read sent every 0.1 s, each with its status (null: no answer within the client's 30 s).</summary>
    private static async Task<IReadOnlyList<(TimeSpan Sent, int? Status)>> ReadEveryTenthOfASecondAsync(EventdCluster eventd, string id, TimeSpan duration)
    {
        var start = DateTimeOffset.UtcNow;
        var reads = new List<Task<(TimeSpan, int?)>>();
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        do
        {
            reads.Add(ReadAsync(DateTimeOffset.UtcNow - start));
        }
        while (DateTimeOffset.UtcNow - start < duration && await tick.WaitForNextTickAsync());

        return await Task.WhenAll(reads);

        async Task<(TimeSpan, int?)> ReadAsync(TimeSpan sent)
        {
            try
            {
                using var response = await eventd.Http.GetAsync($"/eventd/v1/events/{id}");
                return (sent, (int)response.StatusCode);
            }
            catch (Exception ex) when (ex is TaskCanceledException or HttpRequestException)
            {
                return (sent, null);
            }
        }
    }

    private static async Task<DateTimeOffset> WhenDoneAsync(Task task)
    {
        await task;
        return DateTimeOffset.UtcNow;
    }

    private static TimeSpan? Lateness(EventdCluster eventd, Fire fire) =>
        eventd.Receiver.ReceivedOn(fire.Path) is [var first, ..] ? first.At - fire.Due : null;


    /// <summary>What Redis holds for fires that never arrived, and the processes' last words.</summary>
    private static async Task<string> ExplainAsync(EventdCluster eventd, IEnumerable<Fire> lost)
    {
        var text = new StringBuilder();
        try
        {
            var reminders = (await eventd.RedisDb.SortedSetRangeByRankAsync("eventd/reminders")).Select(m => (string?)m ?? "").ToList();
            foreach (var fire in lost.Take(5))
            {
                text.AppendLine($"{fire.Id} due {fire.Due:O}");
                text.AppendLine($"  event: {await eventd.RedisDb.StringGetAsync($"eventd/state/scheduledevent/{fire.Id}/event")}");
                text.AppendLine($"  delivery: {await eventd.RedisDb.StringGetAsync($"eventd/state/webhookdelivery/{fire.Id}/1/webhook/delivery")}");
                text.AppendLine($"  reminders: {string.Join(" | ", reminders.Where(r => r.Contains(fire.Id, StringComparison.Ordinal)))}");
            }
        }
        catch (RedisException ex)
        {
            text.AppendLine($"Redis unreadable: {ex.Message}");
        }

        return text.Append(eventd.Diagnostics()).ToString();
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
}
