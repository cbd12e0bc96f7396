using System.Text.Json;
using Eventd.TestSupport;
using Xunit.Abstractions;

namespace Eventd.IntegrationTests;

/// <summary>Catch-up policies after the whole cluster was stopped across slots of a 1-s repeat: its own Eventd, stopped and started.</summary>
public sealed class CatchupRestartTests(ITestOutputHelper output)
{
    // A fire due while nothing ran comes at the bucket reminder's next tick after start-up (API.md: within 2 minutes).
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task After_a_full_stop_catchup_all_fires_every_missed_slot_and_skip_fires_none()
    {
        await using var eventd = new EventdCluster();
        await eventd.StartAsync();
        var allPath = $"/catchup-all/{Guid.NewGuid():N}";
        var skipPath = $"/catchup-skip/{Guid.NewGuid():N}";
        var all = await eventd.CreateEventAsync(new { delay = 1, repeat = true, catchup = "all", url = eventd.Receiver.Url(allPath) });
        var skip = await eventd.CreateEventAsync(new { delay = 1, repeat = true, catchup = "skip", url = eventd.Receiver.Url(skipPath) });
        await Poll.UntilAsync(() => eventd.Receiver.ReceivedOn(allPath).Count >= 2 && eventd.Receiver.ReceivedOn(skipPath).Count >= 2, TimeSpan.FromSeconds(30), "both repeating");

        await eventd.StopAllAsync();
        var stoppedAt = DateTimeOffset.UtcNow;
        var firedBefore = (All: eventd.Receiver.ReceivedOn(allPath).Count, Skip: eventd.Receiver.ReceivedOn(skipPath).Count);
        await Poll.UntilAsync(() => DateTimeOffset.UtcNow > stoppedAt.AddSeconds(3.5), TimeSpan.FromSeconds(10), "three slots passing while stopped");
        eventd.StartSilo();
        eventd.StartGateway();
        await eventd.WaitReadyAsync();

        // catchup: all — every slot since the stop fires, each under its own seq.
        var caughtUp = await Poll.UntilAsync(
            () => eventd.ReadEventAsync(all),
            e => Delivered(eventd, allPath).Count >= e.GetProperty("fireCount").GetInt32() && e.GetProperty("fireCount").GetInt32() - firedBefore.All >= 3 && Caught(e),
            RecoveryDeadline,
            "the missed slots fired one by one");
        var allSeqs = Delivered(eventd, allPath);
        Assert.Equal(allSeqs.Count, allSeqs.Distinct().Count());
        Assert.Equal(Enumerable.Range(1, allSeqs.Count), allSeqs.Order());
        Assert.Equal(0, caughtUp.GetProperty("skippedFires").GetInt32());
        var slotsSinceStop = (int)Math.Floor((caughtUp.GetProperty("nextFireAt").GetDateTimeOffset() - stoppedAt).TotalSeconds);
        Assert.True(caughtUp.GetProperty("fireCount").GetInt32() - firedBefore.All >= slotsSinceStop - 1, $"{caughtUp.GetProperty("fireCount").GetInt32() - firedBefore.All} fires for about {slotsSinceStop} slots since the stop");

        // catchup: skip — none of the missed slots fires; they are counted, and the schedule goes on.
        var skipped = await Poll.UntilAsync(() => eventd.ReadEventAsync(skip), e => e.GetProperty("skippedFires").GetInt32() >= 3, RecoveryDeadline, "the missed slots skipped");
        var resumedSeq = skipped.GetProperty("fireCount").GetInt32() + 1;
        await Poll.UntilAsync(() => Delivered(eventd, skipPath).Contains(resumedSeq), TimeSpan.FromSeconds(30), "the next slot fired");
        // No burst: the slots missed are skipped; at most the last of them, handled late but before the
        // next slot was due (a late slot, not a missed one), fires just before the next slot does.
        var afterRestart = eventd.Receiver.ReceivedOn(skipPath).Skip(firedBefore.Skip).Select(r => r.At).ToList();
        var shortGaps = afterRestart.Zip(afterRestart.Skip(1), (earlier, later) => later - earlier).Count(gap => gap < TimeSpan.FromMilliseconds(500));
        Assert.True(shortGaps <= 1, $"catchup: skip fired a burst after the restart ({shortGaps} fires less than 0.5 s after the one before)");

        output.WriteLine($"all: {caughtUp.GetProperty("fireCount").GetInt32() - firedBefore.All} fires after the stop; skip: {skipped.GetProperty("skippedFires").GetInt32()} slots skipped");
        await eventd.Http.DeleteAsync($"/eventd/v1/events/{all}");
        await eventd.Http.DeleteAsync($"/eventd/v1/events/{skip}");
    }

    /// <summary>Caught up: the next slot is in the future again.</summary>
    private static bool Caught(JsonElement e) => e.GetProperty("nextFireAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMilliseconds(-200);

    private static List<int> Delivered(EventdCluster eventd, string path) =>
        [.. eventd.Receiver.ReceivedOn(path).Select(r => r.Header("webhook-id")).Distinct().Select(id => int.Parse(id!.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture))];
}
