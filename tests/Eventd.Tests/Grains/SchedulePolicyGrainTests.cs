using Eventd.Grains.Interfaces;
using Eventd.TestSupport;

namespace Eventd.Tests.Grains;

/// <summary>Catch-up, overlap, pause and resume as the event grain carries them out, over real Redis and a real receiver.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SchedulePolicyGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private IScheduledEventGrain Grain(string id) => fixture.Cluster.Client.GetGrain<IScheduledEventGrain>(id);

    /// <summary>Every second from <paramref name="first"/> (which may be past: its slots came due while nothing ran).</summary>
    private EventSpec EverySecond(string path, DateTimeOffset first, CatchupPolicy catchup = CatchupPolicy.One, OverlapPolicy overlap = OverlapPolicy.Allow, int timeoutMs = 2000, int retries = 3) =>
        Events.Webhook(fixture.Receiver.Url(path), TimeSpan.Zero, retries) with
        {
            Webhook = new WebhookTarget { Url = fixture.Receiver.Url(path), Retries = retries, TimeoutMs = timeoutMs },
            Schedule = new ScheduleSpec { DelaySeconds = 1, Repeat = RepeatMode.Forever, FirstDueAt = first, Catchup = catchup, Overlap = overlap },
        };

    [Fact]
    public async Task Catchup_all_fires_each_missed_slot_with_its_own_seq()
    {
        var id = Events.NewId();
        var path = $"/catchup-all/{id}";

        // Slots at -3.5, -2.5, -1.5 and -0.5 s came due before the event was created: as after a full stop.
        await Grain(id).Create(EverySecond(path, DateTimeOffset.UtcNow.AddSeconds(-3.5), CatchupPolicy.All));
        await Poll.UntilAsync(() => fixture.Receiver.ReceivedOn(path).Count >= 4, Deadline, "four catch-up fires");
        await Grain(id).Cancel();

        var seqs = fixture.Receiver.ReceivedOn(path).Select(r => r.Header("webhook-id")).ToList();
        Assert.Equal(seqs.Distinct().Count(), seqs.Count);
        Assert.Equal([$"{id}.1", $"{id}.2", $"{id}.3", $"{id}.4"], seqs.Take(4).Order());
        Assert.Equal(0, (await Grain(id).Get())!.SkippedFires);
    }

    [Fact]
    public async Task Catchup_skip_fires_none_of_the_missed_slots_and_counts_them()
    {
        var id = Events.NewId();
        var path = $"/catchup-skip/{id}";
        var created = DateTimeOffset.UtcNow;

        await Grain(id).Create(EverySecond(path, created.AddSeconds(-3.5), CatchupPolicy.Skip));
        var skipped = await Poll.UntilAsync(() => Grain(id).Get(), v => v?.SkippedFires > 0, Deadline, "the missed slots skipped");
        await Poll.UntilAsync(() => fixture.Receiver.ReceivedOn(path).Count >= 1, Deadline, "the first slot in the future");
        await Grain(id).Cancel();

        Assert.Equal(4, skipped!.SkippedFires);
        var first = fixture.Receiver.ReceivedOn(path)[0];
        Assert.Equal($"{id}.1", first.Header("webhook-id"));
        Assert.True(first.At >= created.AddSeconds(0.5), "the first fire is the slot after creation, not a missed one");
    }

    [Fact]
    public async Task Overlap_skip_fires_no_slot_while_a_fire_is_still_delivering()
    {
        var id = Events.NewId();
        var path = $"/overlap-skip/{id}";
        fixture.Receiver.Hold = r => r.Path == path ? TimeSpan.FromSeconds(1.6) : TimeSpan.Zero;
        try
        {
            // Each attempt times out after 0.5 s, held 1.6 s: a fire delivers for about 2 s, over two slots.
            await Grain(id).Create(EverySecond(path, DateTimeOffset.UtcNow.AddSeconds(0.2), overlap: OverlapPolicy.Skip, timeoutMs: 500, retries: 2));
            var view = await Poll.UntilAsync(() => Grain(id).Get(), v => v?.SkippedFires >= 2, Deadline, "slots skipped while delivering");
            await Grain(id).Cancel();

            var seqs = fixture.Receiver.ReceivedOn(path).Select(r => r.Header("webhook-id")).Distinct().ToList();
            Assert.Equal(view!.FireCount, seqs.Count);
            Assert.True(view.FireCount < 3, $"fired {view.FireCount} times in a window of about {view.FireCount + view.SkippedFires} slots");
        }
        finally
        {
            fixture.Receiver.Hold = null;
        }
    }

    [Fact]
    public async Task Overlap_buffer_one_fires_a_waiting_slot_as_soon_as_the_earlier_fire_settles()
    {
        var id = Events.NewId();
        var path = $"/overlap-buffer/{id}";
        fixture.Receiver.Hold = r => r.Path == path && r.Header("webhook-id") == $"{id}.1" ? TimeSpan.FromSeconds(2.6) : TimeSpan.Zero;
        try
        {
            await Grain(id).Create(EverySecond(path, DateTimeOffset.UtcNow.AddSeconds(0.2), overlap: OverlapPolicy.BufferOne, timeoutMs: 5000));
            await Poll.UntilAsync(() => fixture.Receiver.ReceivedOn(path).Count >= 2, Deadline, "the buffered slot's fire");
            await Poll.UntilAsync(() => Grain(id).Get(), v => v?.SkippedFires >= 1, Deadline, "a second slot skipped while one waited");
            await Grain(id).Cancel();

            var received = fixture.Receiver.ReceivedOn(path);
            var first = received.Single(r => r.Header("webhook-id") == $"{id}.1");
            var second = received.Single(r => r.Header("webhook-id") == $"{id}.2");

            // Fire 1 was held 2.6 s: slots 2 and 3 came due meanwhile; one waited (fired once fire 1 settled), one was skipped.
            Assert.True(second.At >= first.At.AddSeconds(2.5), "the buffered slot fired before the earlier fire settled");
        }
        finally
        {
            fixture.Receiver.Hold = null;
        }
    }

    [Fact]
    public async Task A_paused_event_fires_nothing_counts_its_slots_skipped_and_fires_again_after_resume()
    {
        var id = Events.NewId();
        var path = $"/pause/{id}";
        await Grain(id).Create(EverySecond(path, DateTimeOffset.UtcNow.AddSeconds(0.5)));
        await Poll.UntilAsync(() => fixture.Receiver.ReceivedOn(path).Count >= 1, Deadline, "the first fire");

        Assert.Equal(PauseOutcome.Done, await Grain(id).Pause());
        var pausedAt = DateTimeOffset.UtcNow;
        var firedBefore = (await Grain(id).Get())!.FireCount;
        var paused = await Poll.UntilAsync(() => Grain(id).Get(), v => v?.SkippedFires >= 2, Deadline, "slots passing while paused");

        Assert.Equal(EventStatus.Paused, paused!.Status);
        Assert.Equal(firedBefore, paused.FireCount);
        Assert.True(paused.NextFireAt > DateTimeOffset.UtcNow.AddSeconds(-0.1), "nextFireAt shows the next slot");
        Assert.Equal(PauseOutcome.Done, await Grain(id).Pause());

        Assert.Equal(PauseOutcome.Done, await Grain(id).Resume());
        var resumedAt = DateTimeOffset.UtcNow;
        await Poll.UntilAsync(() => fixture.Receiver.ReceivedOn(path).Count > firedBefore, Deadline, "a fire after resume");
        await Grain(id).Cancel();

        var received = fixture.Receiver.ReceivedOn(path);
        Assert.DoesNotContain(received, r => r.At > pausedAt.AddMilliseconds(50) && r.At < resumedAt);
        Assert.True((await Grain(id).Get())!.SkippedFires >= paused.SkippedFires);
        Assert.Equal(PauseOutcome.Finished, await Grain(id).Pause());
    }

    [Fact]
    public async Task A_one_off_due_while_paused_fires_at_once_on_resume()
    {
        var id = Events.NewId();
        var path = $"/pause-one-off/{id}";
        await Grain(id).Create(Events.Webhook(fixture.Receiver.Url(path), TimeSpan.FromSeconds(0.5)));
        Assert.Equal(PauseOutcome.Done, await Grain(id).Pause());

        await Poll.UntilAsync(() => Grain(id).Get(), v => v?.NextFireAt < DateTimeOffset.UtcNow.AddSeconds(-0.5), Deadline, "the due time passing while paused");
        Assert.Empty(fixture.Receiver.ReceivedOn(path));
        Assert.Equal(0, (await Grain(id).Get())!.SkippedFires);

        Assert.Equal(PauseOutcome.Done, await Grain(id).Resume());
        await Poll.UntilAsync(() => Grain(id).Get(), v => v?.Status == EventStatus.Delivered, Deadline, "the one-off fired on resume");
        Assert.Single(fixture.Receiver.ReceivedOn(path));
    }
}
