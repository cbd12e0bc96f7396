using Eventd.Grains.Interfaces;
using Eventd.TestSupport;

namespace Eventd.Tests.Grains;

/// <summary>Repeats, cron, reschedules and cancels as the event grain carries them out.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ScheduleGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private IScheduledEventGrain Grain(string id) => fixture.Cluster.Client.GetGrain<IScheduledEventGrain>(id);

    private static EventSpec Repeating(string url, double periodSeconds, RepeatMode mode, int times = 1) =>
        Events.Webhook(url, TimeSpan.FromSeconds(periodSeconds)) with
        {
            Schedule = new ScheduleSpec
            {
                DelaySeconds = periodSeconds,
                Repeat = mode,
                Times = times,
                FirstDueAt = DateTimeOffset.UtcNow.AddSeconds(periodSeconds),
            },
        };

    [Fact]
    public async Task Repeat_n_fires_n_times_one_period_apart_then_is_delivered()
    {
        var id = Events.NewId();
        var path = $"/repeat-n/{id}";
        var created = await Grain(id).Create(Repeating(fixture.Receiver.Url(path), 1, RepeatMode.Times, times: 3));

        var done = await Poll.UntilAsync(() => Grain(id).Get(), v => v?.Status == EventStatus.Delivered, Deadline, "three fires");

        var requests = fixture.Receiver.ReceivedOn(path);
        Assert.Equal([$"{id}.1", $"{id}.2", $"{id}.3"], requests.Select(r => r.Header("webhook-id")).Order());
        Assert.Equal(3, done!.FireCount);
        Assert.Null(done.NextFireAt);
        var first = created.Spec.Schedule.FirstDueAt;
        var arrivals = requests.OrderBy(r => r.At).Select(r => r.At).ToArray();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(arrivals[i] >= first.AddSeconds(i), $"fire {i + 1} came before its due time");
        }
    }

    [Fact]
    public async Task Repeat_forever_keeps_firing_and_next_fire_advances_until_cancelled()
    {
        var id = Events.NewId();
        var path = $"/repeat-forever/{id}";
        await Grain(id).Create(Repeating(fixture.Receiver.Url(path), 1, RepeatMode.Forever));

        var running = await Poll.UntilAsync(() => Grain(id).Get(), v => v?.FireCount >= 3, Deadline, "three fires");
        Assert.Contains(running!.Status, new[] { EventStatus.Scheduled, EventStatus.Delivering });
        Assert.NotNull(running.NextFireAt);

        await Grain(id).Cancel();
        var cancelled = await Grain(id).Get();
        var controlId = Events.NewId();
        await Grain(controlId).Create(Events.Webhook(fixture.Receiver.Url($"/control/{controlId}"), TimeSpan.FromSeconds(2)));
        await Poll.UntilAsync(() => Grain(controlId).Get(), v => v?.Status == EventStatus.Delivered, Deadline, "the control event");

        Assert.Equal(cancelled!.FireCount, (await Grain(id).Get())!.FireCount);
        Assert.Null(cancelled.NextFireAt);
    }

    [Fact]
    public async Task Update_with_a_new_due_time_reschedules_the_next_fire()
    {
        var id = Events.NewId();
        var path = $"/rescheduled/{id}";
        var created = await Grain(id).Create(Events.Webhook(fixture.Receiver.Url(path), TimeSpan.FromHours(1)));
        var soon = DateTimeOffset.UtcNow.AddSeconds(1);

        var result = await Grain(id).Update(
            created.Spec with { Schedule = created.Spec.Schedule with { DelaySeconds = 1, FirstDueAt = soon } },
            reschedule: true,
            expectedRevision: created.Revision);

        Assert.Equal(UpdateOutcome.Updated, result.Outcome);
        Assert.Equal(soon, result.Event!.NextFireAt);
        await Poll.UntilAsync(() => Grain(id).Get(), v => v?.Status == EventStatus.Delivered, Deadline, "the rescheduled fire");
        Assert.True(Assert.Single(fixture.Receiver.ReceivedOn(path)).At >= soon);
    }

    [Fact]
    public async Task Update_based_on_an_old_revision_is_a_conflict_and_changes_nothing()
    {
        var id = Events.NewId();
        var created = await Grain(id).Create(Events.Webhook(fixture.Receiver.Url("/conflict"), TimeSpan.FromHours(1)));
        var first = await Grain(id).Update(created.Spec with { Channel = "first" }, reschedule: false, created.Revision);

        var stale = await Grain(id).Update(created.Spec with { Channel = "stale" }, reschedule: false, created.Revision);

        Assert.Equal(UpdateOutcome.Updated, first.Outcome);
        Assert.Equal(UpdateOutcome.Conflict, stale.Outcome);
        var stored = await Grain(id).Get();
        Assert.Equal("first", stored!.Spec.Channel);
        Assert.Equal(created.NextFireAt, stored.NextFireAt);
        await Grain(id).Cancel();
    }

    [Fact]
    public async Task Update_of_a_cancelled_or_unknown_event_is_refused()
    {
        var id = Events.NewId();
        var created = await Grain(id).Create(Events.Webhook(fixture.Receiver.Url("/refused"), TimeSpan.FromHours(1)));
        await Grain(id).Cancel();

        Assert.Equal(UpdateOutcome.Cancelled, (await Grain(id).Update(created.Spec, true, created.Revision)).Outcome);
        Assert.Equal(UpdateOutcome.NotFound, (await Grain(Events.NewId()).Update(created.Spec, true, 0)).Outcome);
    }

    [Fact]
    public async Task No_fire_starts_after_a_cancel_racing_the_due_time_has_answered()
    {
        var start = DateTimeOffset.UtcNow.AddSeconds(1);
        var ids = Enumerable.Range(0, 20).Select(_ => Events.NewId()).ToArray();
        for (var i = 0; i < ids.Length; i++)
        {
            // Due times spread over 200 ms around the moment the cancels are sent.
            var spec = Events.Webhook(fixture.Receiver.Url($"/race-cancel/{ids[i]}"), TimeSpan.Zero);
            await Grain(ids[i]).Create(spec with { Schedule = spec.Schedule with { FirstDueAt = start.AddMilliseconds((i * 10) - 100) } });
        }

        await Poll.UntilAsync(() => DateTimeOffset.UtcNow >= start, Deadline, "the due time");
        var whenCancelled = await Task.WhenAll(ids.Select(async id =>
        {
            await Grain(id).Cancel();
            var view = (await Grain(id).Get())!;
            return (view.FireCount, view.Status);
        }));
        var controlId = Events.NewId();
        await Grain(controlId).Create(Events.Webhook(fixture.Receiver.Url($"/control/{controlId}"), TimeSpan.FromSeconds(1)));
        await Poll.UntilAsync(() => Grain(controlId).Get(), v => v?.Status == EventStatus.Delivered, Deadline, "the control event");

        for (var i = 0; i < ids.Length; i++)
        {
            var view = await Grain(ids[i]).Get();
            Assert.Equal(whenCancelled[i].FireCount, view!.FireCount);

            // Cancelled, unless its one fire had already been delivered: a settled event keeps its outcome.
            Assert.Equal(whenCancelled[i].FireCount == 0 ? EventStatus.Cancelled : whenCancelled[i].Status, view.Status);
            Assert.Contains(view.Status, new[] { EventStatus.Cancelled, EventStatus.Delivered });
            Assert.Equal(whenCancelled[i].FireCount, fixture.Receiver.ReceivedOn($"/race-cancel/{ids[i]}").Count);
        }
    }

    [Fact]
    public async Task Cron_event_fires_at_the_next_minute_and_moves_to_the_one_after()
    {
        var id = Events.NewId();
        var path = $"/cron/{id}";
        var now = DateTimeOffset.UtcNow;
        var schedule = new ScheduleSpec { Cron = "* * * * *" };
        var spec = Events.Webhook(fixture.Receiver.Url(path), TimeSpan.Zero) with
        {
            Schedule = schedule with { FirstDueAt = Eventd.Gateway.Endpoints.FirstFire.Due(schedule, now)!.Value },
        };
        var nextMinute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(1);
        Assert.Equal(nextMinute, spec.Schedule.FirstDueAt);

        await Grain(id).Create(spec);
        var fired = await Poll.UntilAsync(() => Grain(id).Get(), v => v?.LastDelivery is not null, TimeSpan.FromSeconds(80), "the cron fire");
        await Grain(id).Cancel();

        Assert.Equal(1, fired!.FireCount);
        Assert.Equal(nextMinute.AddMinutes(1), fired.NextFireAt);
        Assert.True(Assert.Single(fixture.Receiver.ReceivedOn(path)).At >= nextMinute);
    }
}
