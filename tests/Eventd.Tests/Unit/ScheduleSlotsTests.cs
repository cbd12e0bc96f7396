using Eventd.Grains.Interfaces;
using Eventd.Grains.Schedules;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>The slots of repeats and crons, and what passing over them counts.</summary>
public class ScheduleSlotsTests
{
    private static readonly DateTimeOffset First = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_bounded_repeat_has_exactly_its_slots()
    {
        var schedule = new ScheduleSpec { DelaySeconds = 10, Repeat = RepeatMode.Times, Times = 3, FirstDueAt = First };

        Assert.Equal(First.AddSeconds(10), ScheduleSlots.After(schedule, First));
        Assert.Equal(First.AddSeconds(20), ScheduleSlots.After(schedule, First.AddSeconds(10)));
        Assert.Null(ScheduleSlots.After(schedule, First.AddSeconds(20)));
    }

    [Fact]
    public void Passing_a_repeat_counts_the_slots_before_now_and_finds_the_next_not_before_it()
    {
        var schedule = new ScheduleSpec { DelaySeconds = 60, Repeat = RepeatMode.Forever, FirstDueAt = First };

        Assert.Equal((First.AddMinutes(2), 2), ScheduleSlots.Pass(schedule, First, First.AddMinutes(2)));
        Assert.Equal((First.AddMinutes(3), 3), ScheduleSlots.Pass(schedule, First, First.AddMinutes(2).AddSeconds(59)));
        Assert.Equal((First, 0), ScheduleSlots.Pass(schedule, First, First.AddSeconds(-1)));
    }

    [Fact]
    public void Passing_a_cron_counts_its_slots_in_its_zone()
    {
        var schedule = new ScheduleSpec { Cron = "0 * * * *", TimeZone = "Europe/Berlin", FirstDueAt = First };

        Assert.Equal((First.AddHours(25), 25), ScheduleSlots.Pass(schedule, First, First.AddDays(1).AddMinutes(30)));
    }

    [Fact]
    public void A_one_off_has_one_slot() =>
        Assert.Equal(((DateTimeOffset?)null, 1), ScheduleSlots.Pass(new ScheduleSpec { FirstDueAt = First }, First, First.AddHours(1)));
}
