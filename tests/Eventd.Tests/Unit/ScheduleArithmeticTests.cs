using Eventd.Grains.Events;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Schedules;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>When the first fire of a schedule is due, and which slot an event waits for after each.</summary>
public class ScheduleArithmeticTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 7, 0, TimeSpan.Zero);

    [Fact]
    public void First_due_is_now_plus_delay()
    {
        var schedule = new ScheduleSpec { DelaySeconds = 5 };

        Assert.Equal(Now.AddSeconds(5), ScheduleSlots.First(schedule, Now));
    }

    [Fact]
    public void Fractional_delay_keeps_its_milliseconds()
    {
        var schedule = new ScheduleSpec { DelaySeconds = 1.25 };

        Assert.Equal(Now.AddMilliseconds(1250), ScheduleSlots.First(schedule, Now));
    }

    [Fact]
    public void First_due_is_timestamp_plus_delay()
    {
        var timestamp = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);
        var schedule = new ScheduleSpec { DelaySeconds = 90, Timestamp = timestamp };

        Assert.Equal(timestamp.AddSeconds(90), ScheduleSlots.First(schedule, Now));
    }

    [Fact]
    public void Timestamp_in_the_past_gives_a_first_due_in_the_past()
    {
        var timestamp = Now.AddHours(-1);
        var schedule = new ScheduleSpec { DelaySeconds = 60, Timestamp = timestamp };

        Assert.Equal(Now.AddMinutes(-59), ScheduleSlots.First(schedule, Now));
    }

    [Fact]
    public void Cron_first_due_is_the_next_occurrence_after_now()
    {
        var schedule = new ScheduleSpec { Cron = "*/15 * * * *" };

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 15, 0, TimeSpan.Zero), ScheduleSlots.First(schedule, Now));
    }

    [Fact]
    public void Cron_first_due_includes_an_occurrence_at_now()
    {
        var onTheQuarter = new DateTimeOffset(2026, 3, 1, 10, 15, 0, TimeSpan.Zero);
        var schedule = new ScheduleSpec { Cron = "*/15 * * * *" };

        Assert.Equal(onTheQuarter, ScheduleSlots.First(schedule, onTheQuarter));
    }

    [Fact]
    public void Cron_is_read_in_utc()
    {
        var schedule = new ScheduleSpec { Cron = "0 9 * * *" };
        var now = new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.FromHours(2)); // 07:30 UTC

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero), ScheduleSlots.First(schedule, now));
    }

    [Fact]
    public void Cron_with_a_future_timestamp_starts_at_the_timestamp()
    {
        var schedule = new ScheduleSpec { Cron = "0 * * * *", Timestamp = new DateTimeOffset(2026, 5, 1, 8, 30, 0, TimeSpan.Zero) };

        Assert.Equal(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero), ScheduleSlots.First(schedule, Now));
    }

    [Fact]
    public void Cron_with_a_past_timestamp_starts_from_now()
    {
        var schedule = new ScheduleSpec { Cron = "0 * * * *", Timestamp = Now.AddDays(-3) };

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 11, 0, 0, TimeSpan.Zero), ScheduleSlots.First(schedule, Now));
    }

    [Fact]
    public void Cron_that_never_fires_has_no_first_due()
    {
        Assert.Null(ScheduleSlots.First(new ScheduleSpec { Cron = "0 0 30 2 *" }, Now));
    }

    [Fact]
    public void One_shot_schedule_has_no_next_fire()
    {
        var schedule = new ScheduleSpec { DelaySeconds = 5, Repeat = RepeatMode.Once };

        Assert.Null(Next(schedule, Now, Now));
    }

    [Fact]
    public void Repeat_times_fires_that_many_times_a_delay_apart()
    {
        var schedule = new ScheduleSpec { DelaySeconds = 10, Repeat = RepeatMode.Times, Times = 3, FirstDueAt = Now };
        var first = Now;

        var second = Next(schedule, first, first);
        var third = Next(schedule, second!.Value, second.Value);
        var fourth = Next(schedule, third!.Value, third.Value);

        Assert.Equal(first.AddSeconds(10), second);
        Assert.Equal(first.AddSeconds(20), third);
        Assert.Null(fourth);
    }

    [Fact]
    public void Repeat_times_late_past_its_last_slot_fires_once_for_all_and_ends()
    {
        var schedule = new ScheduleSpec { DelaySeconds = 10, Repeat = RepeatMode.Times, Times = 5, FirstDueAt = Now };

        Assert.Null(Next(schedule, Now, Now.AddMinutes(10)));
        Assert.Equal(Now.AddSeconds(10), Next(schedule with { Catchup = CatchupPolicy.All }, Now, Now.AddMinutes(10)));
    }

    [Fact]
    public void Repeat_once_as_times_one_has_no_next_fire()
    {
        var schedule = new ScheduleSpec { DelaySeconds = 10, Repeat = RepeatMode.Times, Times = 1 };

        Assert.Null(Next(schedule, Now, Now));
    }

    [Fact]
    public void Repeat_forever_fires_a_delay_after_the_previous_due()
    {
        var schedule = new ScheduleSpec { DelaySeconds = 60, Repeat = RepeatMode.Forever };

        Assert.Equal(Now.AddSeconds(60), Next(schedule, Now, Now.AddSeconds(2)));
    }

    [Fact]
    public void Repeat_forever_skips_the_slots_missed_while_nothing_ran()
    {
        var schedule = new ScheduleSpec { DelaySeconds = 10, Repeat = RepeatMode.Forever };

        var next = Next(schedule, Now, Now.AddSeconds(35));

        // Slots at +10, +20 and +30 were missed; the next is the first slot after now.
        Assert.Equal(Now.AddSeconds(40), next);
    }

    [Fact]
    public void Repeat_forever_after_a_long_outage_stays_on_the_grid()
    {
        var schedule = new ScheduleSpec { DelaySeconds = 60, Repeat = RepeatMode.Forever };
        var now = Now.AddHours(1).AddSeconds(30);

        Assert.Equal(Now.AddHours(1).AddMinutes(1), Next(schedule, Now, now));
    }

    [Fact]
    public void Cron_next_due_is_the_occurrence_after_the_previous_one()
    {
        var previous = new DateTimeOffset(2026, 3, 1, 10, 15, 0, TimeSpan.Zero);
        var schedule = new ScheduleSpec { Cron = "*/15 * * * *" };

        Assert.Equal(previous.AddMinutes(15), Next(schedule, previous, previous.AddMilliseconds(300)));
    }

    [Fact]
    public void Cron_next_due_excludes_the_previous_occurrence_even_when_early()
    {
        var previous = new DateTimeOffset(2026, 3, 1, 10, 15, 0, TimeSpan.Zero);
        var schedule = new ScheduleSpec { Cron = "*/15 * * * *" };

        Assert.Equal(previous.AddMinutes(15), Next(schedule, previous, previous.AddSeconds(-1)));
    }

    [Fact]
    public void Cron_next_due_skips_occurrences_missed_while_nothing_ran()
    {
        var previous = new DateTimeOffset(2026, 3, 1, 10, 15, 0, TimeSpan.Zero);
        var schedule = new ScheduleSpec { Cron = "*/15 * * * *" };

        Assert.Equal(
            new DateTimeOffset(2026, 3, 1, 12, 15, 0, TimeSpan.Zero),
            Next(schedule, previous, new DateTimeOffset(2026, 3, 1, 12, 7, 0, TimeSpan.Zero)));
    }

    /// <summary>The slot an event waits for after taking <paramref name="previous"/> at <paramref name="now"/> (its catch-up policy applied).</summary>
    private static DateTimeOffset? Next(ScheduleSpec schedule, DateTimeOffset previous, DateTimeOffset now) =>
        CatchUp.Step(schedule, previous, now, catchingUp: 0, maxCatchup: 100).Next;

    [Theory]
    [InlineData("* * * * *")]
    [InlineData("*/5 9-17 * * 1-5")]
    [InlineData("0 0 1 1 *")]
    public void Five_field_cron_expressions_parse(string cron)
    {
        Assert.True(CronSlots.IsCron(cron));
    }

    [Theory]
    [InlineData("* * * * * *")]
    [InlineData("* * * *")]
    [InlineData("60 * * * *")]
    [InlineData("every minute")]
    public void Other_cron_expressions_do_not_parse(string cron)
    {
        Assert.False(CronSlots.IsCron(cron));
    }
}
