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
        await Grain(id).Create(Events.Webhook(fixture.Receiver.Url(path), TimeSpan.FromHours(1)));
        var before = DateTimeOffset.UtcNow;

        var result = await Grain(id).Update(new EventFields { Delay = 1 }, callerProject: null);

        Assert.Equal(UpdateOutcome.Updated, result.Outcome);
        var soon = result.Event!.NextFireAt!.Value;
        Assert.InRange(soon, before.AddSeconds(1), DateTimeOffset.UtcNow.AddSeconds(1));
        await Poll.UntilAsync(() => Grain(id).Get(), v => v?.Status == EventStatus.Delivered, Deadline, "the rescheduled fire");
        Assert.True(Assert.Single(fixture.Receiver.ReceivedOn(path)).At >= soon);
    }

    [Fact]
    public async Task Concurrent_updates_of_different_fields_are_all_applied()
    {
        var id = Events.NewId();
        var created = await Grain(id).Create(Events.Webhook(fixture.Receiver.Url("/concurrent"), TimeSpan.FromHours(1)));
        EventFields[] updates =
        [
            new() { Channel = "orders" },
            new() { Retries = 7 },
            new() { TimeoutMs = 1500 },
            new() { Method = "PUT" },
            new() { HasData = true, Data = """{"n":1}""" },
        ];

        var results = await Task.WhenAll(updates.Select(u => Grain(id).Update(u, callerProject: null)));

        Assert.All(results, r => Assert.Equal(UpdateOutcome.Updated, r.Outcome));
        var stored = (await Grain(id).Get())!;
        Assert.Equal(("orders", 7, 1500, "PUT", """{"n":1}"""), (stored.Spec.Channel, stored.Spec.Webhook!.Retries, stored.Spec.Webhook.TimeoutMs, stored.Spec.Webhook.Method, stored.Spec.Data));
        Assert.Equal(created.NextFireAt, stored.NextFireAt);
        await Grain(id).Cancel();
    }

    [Fact]
    public async Task An_invalid_update_answers_the_field_error_and_changes_nothing()
    {
        var id = Events.NewId();
        await Grain(id).Create(Repeating(fixture.Receiver.Url("/invalid-update"), 3600, RepeatMode.Forever));
        var before = (await Grain(id).Get())!;

        var result = await Grain(id).Update(new EventFields { Cron = "*/5 * * * *", Repeat = RepeatMode.Forever, Channel = "ignored" }, callerProject: null);

        Assert.Equal(UpdateOutcome.Invalid, result.Outcome);
        Assert.Equal("cron: replaces delay and repeat; give one or the other", result.Error);
        var after = (await Grain(id).Get())!;
        Assert.Equal((before.UpdatedAt, before.NextFireAt, before.Spec.Schedule, before.Spec.Channel), (after.UpdatedAt, after.NextFireAt, after.Spec.Schedule, after.Spec.Channel));
        await Grain(id).Cancel();
    }

    [Fact]
    public async Task An_update_from_another_project_is_refused_and_changes_nothing()
    {
        var id = Events.NewId();
        await Grain(id).Create(Events.Webhook(fixture.Receiver.Url("/other-project"), TimeSpan.FromHours(1)) with { Project = "shop" });
        var before = (await Grain(id).Get())!;

        var refused = await Grain(id).Update(new EventFields { Channel = "stolen", Delay = 5 }, callerProject: "other");

        Assert.Equal((UpdateOutcome.OtherProject, null), (refused.Outcome, refused.Event));
        var after = (await Grain(id).Get())!;
        Assert.Equal((before.UpdatedAt, before.NextFireAt, before.Spec.Schedule, before.Spec.Channel), (after.UpdatedAt, after.NextFireAt, after.Spec.Schedule, after.Spec.Channel));
        Assert.Equal(UpdateOutcome.Updated, (await Grain(id).Update(new EventFields { Channel = "own" }, callerProject: "shop")).Outcome);
        Assert.Equal(UpdateOutcome.Updated, (await Grain(id).Update(new EventFields { Channel = "admin" }, callerProject: null)).Outcome);
        Assert.Equal("admin", (await Grain(id).Get())!.Spec.Channel);
        await Grain(id).Cancel();
    }

    [Fact]
    public async Task Update_of_a_cancelled_or_unknown_event_is_refused()
    {
        var id = Events.NewId();
        await Grain(id).Create(Events.Webhook(fixture.Receiver.Url("/refused"), TimeSpan.FromHours(1)));
        await Grain(id).Cancel();

        Assert.Equal(UpdateOutcome.Cancelled, (await Grain(id).Update(new EventFields { Delay = 5 }, callerProject: null)).Outcome);
        Assert.Equal(UpdateOutcome.NotFound, (await Grain(Events.NewId()).Update(new EventFields { Delay = 5 }, callerProject: null)).Outcome);
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
            Schedule = schedule with { FirstDueAt = Eventd.Grains.Schedules.ScheduleSlots.First(schedule, now)!.Value },
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
