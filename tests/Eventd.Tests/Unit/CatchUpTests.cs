using Eventd.Grains.Interfaces;
using Eventd.Grains.Schedules;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>The catch-up policies over the slots of a 1-s repeat that came due while nothing ran, the clock driven by a FakeTimeProvider.</summary>
public class CatchUpTests
{
    private static readonly DateTimeOffset First = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(CatchupPolicy.One)]
    [InlineData(CatchupPolicy.Skip)]
    [InlineData(CatchupPolicy.All)]
    public void A_slot_that_is_late_but_alone_fires_under_every_policy(CatchupPolicy policy)
    {
        var step = CatchUp.Step(Every(1, policy), First, First.AddMilliseconds(900), catchingUp: 0, maxCatchup: 100);

        Assert.Equal(new SlotStep(Fire: true, First.AddSeconds(1), Skipped: 0, CatchingUp: 0), step);
    }

    [Fact]
    public void One_fires_once_for_every_missed_slot_and_counts_none_skipped()
    {
        var fires = Run(Every(1, CatchupPolicy.One), downFor: TimeSpan.FromSeconds(3.5), maxCatchup: 100);

        Assert.Equal((1, 0, First.AddSeconds(4)), (fires.Fired, fires.Skipped, fires.Next));
    }

    [Fact]
    public void Skip_fires_none_of_the_missed_slots_and_counts_them()
    {
        var fires = Run(Every(1, CatchupPolicy.Skip), downFor: TimeSpan.FromSeconds(3.5), maxCatchup: 100);

        Assert.Equal((0, 4, First.AddSeconds(4)), (fires.Fired, fires.Skipped, fires.Next));
    }

    [Fact]
    public void All_fires_each_missed_slot_oldest_first()
    {
        var fires = Run(Every(1, CatchupPolicy.All), downFor: TimeSpan.FromSeconds(3.5), maxCatchup: 100);

        Assert.Equal((4, 0, First.AddSeconds(4)), (fires.Fired, fires.Skipped, fires.Next));
        Assert.Equal([First, First.AddSeconds(1), First.AddSeconds(2), First.AddSeconds(3)], fires.Slots);
    }

    [Fact]
    public void All_stops_at_its_limit_and_skips_the_rest()
    {
        var fires = Run(Every(1, CatchupPolicy.All), downFor: TimeSpan.FromSeconds(9.5), maxCatchup: 3);

        Assert.Equal((3, 7, First.AddSeconds(10)), (fires.Fired, fires.Skipped, fires.Next));
        Assert.Equal([First, First.AddSeconds(1), First.AddSeconds(2)], fires.Slots);
    }

    [Fact]
    public void A_bounded_repeat_catches_up_only_its_own_slots()
    {
        var schedule = Every(10, CatchupPolicy.Skip) with { Repeat = RepeatMode.Times, Times = 3 };

        var step = CatchUp.Step(schedule, First, First.AddMinutes(5), catchingUp: 0, maxCatchup: 100);

        Assert.Equal(new SlotStep(Fire: false, Next: null, Skipped: 3, CatchingUp: 0), step);
    }

    [Fact]
    public void A_cron_schedule_down_three_minutes_catches_up_by_its_policy()
    {
        var cron = new ScheduleSpec { Cron = "* * * * *", FirstDueAt = First, Catchup = CatchupPolicy.Skip };
        var now = First.AddMinutes(3).AddSeconds(20);

        Assert.Equal(new SlotStep(false, First.AddMinutes(4), Skipped: 4, CatchingUp: 0), CatchUp.Step(cron, First, now, 0, 100));
        Assert.Equal(new SlotStep(true, First.AddMinutes(4), Skipped: 0, CatchingUp: 0), CatchUp.Step(cron with { Catchup = CatchupPolicy.One }, First, now, 0, 100));
        Assert.Equal(new SlotStep(true, First.AddMinutes(1), Skipped: 0, CatchingUp: 1), CatchUp.Step(cron with { Catchup = CatchupPolicy.All }, First, now, 0, 100));
    }

    [Fact]
    public void A_one_off_event_fires_however_late() =>
        Assert.Equal(
            new SlotStep(Fire: true, Next: null, Skipped: 0, CatchingUp: 0),
            CatchUp.Step(new ScheduleSpec { FirstDueAt = First, Catchup = CatchupPolicy.Skip }, First, First.AddDays(1), 0, 100));

    private static ScheduleSpec Every(double seconds, CatchupPolicy policy) =>
        new() { DelaySeconds = seconds, Repeat = RepeatMode.Forever, FirstDueAt = First, Catchup = policy };

    /// <summary>
    /// Nothing ran from <see cref="First"/> for <paramref name="downFor"/>; then the event handles each slot as
    /// its grain would, one step at a time, 5 ms apart, until the next slot is in the future.
    /// </summary>
    private static (int Fired, int Skipped, DateTimeOffset? Next, List<DateTimeOffset> Slots) Run(ScheduleSpec schedule, TimeSpan downFor, int maxCatchup)
    {
        var time = new FakeTimeProvider(First);
        time.Advance(downFor);
        var slots = new List<DateTimeOffset>();
        var skipped = 0;
        var catchingUp = 0;
        DateTimeOffset? next = First;
        while (next is { } due && due <= time.GetUtcNow())
        {
            var step = CatchUp.Step(schedule, due, time.GetUtcNow(), catchingUp, maxCatchup);
            if (step.Fire)
            {
                slots.Add(due);
            }

            (next, skipped, catchingUp) = (step.Next, skipped + step.Skipped, step.CatchingUp);
            time.Advance(TimeSpan.FromMilliseconds(5));
        }

        return (slots.Count, skipped, next, slots);
    }
}
