using Eventd.Grains.Events;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>How an event arms itself for a due time: a reminder for far ones, a timer for near ones.</summary>
public class FireTimingTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(-10, true)]
    [InlineData(0, true)]
    [InlineData(75, true)]
    [InlineData(75.001, false)]
    [InlineData(3600, false)]
    public void Due_times_within_75_seconds_are_near(double seconds, bool near)
    {
        Assert.Equal(near, FireTiming.IsNear(Now.AddSeconds(seconds), Now));
    }

    [Fact]
    public void Far_due_time_wakes_the_grain_30_seconds_early()
    {
        Assert.Equal(TimeSpan.FromSeconds(570), FireTiming.ReminderDueTime(Now.AddMinutes(10), Now));
    }

    [Fact]
    public void Near_due_time_gets_a_backstop_reminder_5_seconds_after_it()
    {
        Assert.Equal(TimeSpan.FromSeconds(25), FireTiming.ReminderDueTime(Now.AddSeconds(20), Now));
    }

    [Fact]
    public void Past_due_time_gets_its_backstop_5_seconds_from_now()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), FireTiming.ReminderDueTime(Now.AddMinutes(-3), Now));
    }

    [Fact]
    public void Far_reminder_still_ticks_before_the_timer_window_closes()
    {
        // The reminder for a far due time must land inside the near window, or no timer is armed in time.
        var due = Now.AddSeconds(76);
        var tick = Now + FireTiming.ReminderDueTime(due, Now);

        Assert.True(FireTiming.IsNear(due, tick));
        Assert.True(tick < due);
    }

    [Theory]
    [InlineData(-5, 0)]
    [InlineData(0, 0)]
    [InlineData(7, 7)]
    public void Positive_never_returns_a_negative_wait(int seconds, int expected)
    {
        Assert.Equal(TimeSpan.FromSeconds(expected), FireTiming.Positive(TimeSpan.FromSeconds(seconds)));
    }
}
