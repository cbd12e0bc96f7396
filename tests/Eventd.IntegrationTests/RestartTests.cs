using System.Net;
using System.Net.Http.Json;
using Eventd.TestSupport;
using Xunit.Abstractions;

namespace Eventd.IntegrationTests;

/// <summary>Each test runs its own Eventd, since it stops and starts the processes.</summary>
public sealed class RestartTests(ITestOutputHelper output)
{
    // A fire due while nothing ran comes at the reminder's next period after start-up (API.md: within 2 minutes).
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Events_scheduled_before_a_full_stop_are_delivered_after_restart()
    {
        await using var eventd = new EventdCluster();
        await eventd.StartAsync();
        var duringPath = $"/due-while-down/{Guid.NewGuid():N}";
        var afterPath = $"/due-after-restart/{Guid.NewGuid():N}";
        var dueWhileDown = await eventd.CreateEventAsync(new { delay = 3, url = eventd.Receiver.Url(duringPath) });
        var dueAfterRestart = await eventd.CreateEventAsync(new { delay = 25, url = eventd.Receiver.Url(afterPath) });
        var dueAt = (await eventd.ReadEventAsync(dueWhileDown)).GetProperty("nextFireAt").GetDateTimeOffset();

        await eventd.StopAllAsync();
        await Poll.UntilAsync(() => DateTimeOffset.UtcNow > dueAt.AddSeconds(3), TimeSpan.FromSeconds(30), "the first event's due time to pass while down");
        Assert.Empty(eventd.Receiver.ReceivedOn(duringPath));
        eventd.StartSilo();
        eventd.StartGateway();
        await eventd.WaitReadyAsync();
        var readyAt = DateTimeOffset.UtcNow;

        await Poll.UntilAsync(() => eventd.Receiver.ReceivedOn(afterPath).Count == 1, RecoveryDeadline, "the event due after the restart");
        await Poll.UntilAsync(() => eventd.Receiver.ReceivedOn(duringPath).Count >= 1, RecoveryDeadline, "the event due while down");

        Assert.Equal($"{dueWhileDown}.1", eventd.Receiver.ReceivedOn(duringPath)[0].Header("webhook-id"));
        Assert.Equal($"{dueAfterRestart}.1", eventd.Receiver.ReceivedOn(afterPath)[0].Header("webhook-id"));
        var late = await Poll.UntilAsync(() => eventd.ReadEventAsync(dueWhileDown), e => e.GetProperty("status").GetString() == "delivered", RecoveryDeadline, "delivered");
        Assert.Equal(1, late.GetProperty("fireCount").GetInt32());
        output.WriteLine($"fire due while down arrived {(eventd.Receiver.ReceivedOn(duringPath)[0].At - readyAt).TotalSeconds:F1} s after the cluster was ready again");
    }

    [Fact]
    public async Task Gateway_started_before_any_silo_is_not_ready_until_one_joins()
    {
        await using var eventd = new EventdCluster();
        await eventd.Redis.StartAsync();
        eventd.StartGateway();

        await Poll.UntilAsync(async () => (await eventd.Http.GetAsync("/healthz")).StatusCode, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "healthz");
        using (var ready = await eventd.Http.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        using (var create = await eventd.Http.PostAsJsonAsync("/eventd/v1/events", new { channel = "early" }))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, create.StatusCode);
        }

        eventd.StartSilo();
        await eventd.WaitReadyAsync();
        Assert.NotNull(await eventd.CreateEventAsync(new { delay = 60, channel = "later" }));
    }

    [Fact]
    public async Task Readiness_follows_Redis_going_away_and_coming_back()
    {
        await using var eventd = new EventdCluster();
        await eventd.StartAsync();
        var id = await eventd.CreateEventAsync(new { delay = 3600, channel = "kept" });

        await eventd.Redis.StopAsync();
        await Poll.UntilAsync(async () => (await eventd.Http.GetAsync("/readyz")).StatusCode, s => s == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30), "readyz 503 without Redis");
        using (var health = await eventd.Http.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        await eventd.Redis.StartAsync();
        await Poll.UntilAsync(async () => (await eventd.Http.GetAsync("/readyz")).StatusCode, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "readyz 200 with Redis back");
        Assert.Equal("scheduled", (await eventd.ReadEventAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Long_retry_wait_is_persisted_and_survives_a_killed_silo()
    {
        await using var eventd = new EventdCluster();
        await eventd.StartAsync();
        var path = $"/busy/{Guid.NewGuid():N}";
        var calls = 0;
        eventd.Receiver.Respond = (_, r) => r.Path == path && Interlocked.Increment(ref calls) == 1
            ? (503, new Dictionary<string, string> { ["Retry-After"] = "20" })
            : (200, null);
        var id = await eventd.CreateEventAsync(new { url = eventd.Receiver.Url(path), retries = 3 });
        var stateKey = $"eventd/state/webhookdelivery/{id}/1/webhook/delivery";
        await Poll.UntilAsync(
            async () => (string?)await eventd.RedisDb.StringGetAsync(stateKey),
            data => data?.Contains("nextAttemptAt", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(30),
            "the wait to be persisted");

        await eventd.Silos[0].KillAsync();
        eventd.StartSilo();
        await eventd.WaitReadyAsync();

        await Poll.UntilAsync(() => eventd.Receiver.ReceivedOn(path).Count >= 2, TimeSpan.FromSeconds(90), "the attempt after the wait");
        var requests = eventd.Receiver.ReceivedOn(path);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(20), $"retried after {(requests[1].At - requests[0].At).TotalSeconds:F1} s");
        Assert.All(requests, r => Assert.Equal($"{id}.1", r.Header("webhook-id")));
        var delivered = await Poll.UntilAsync(() => eventd.ReadEventAsync(id), e => e.GetProperty("status").GetString() == "delivered", TimeSpan.FromSeconds(60), "delivered");
        Assert.Equal(2, delivered.GetProperty("lastDelivery").GetProperty("attempts").GetInt32());
        output.WriteLine($"second attempt {(requests[1].At - requests[0].At).TotalSeconds:F1} s after the first (Retry-After: 20, silo killed in between)");
    }
}
