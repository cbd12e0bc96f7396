using Eventd.Grains.Events;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>How an event arms itself for a due time: a reminder for far ones, a timer for near ones.</summary>
public class FireTimingTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Due_time_at_the_edge_of_the_near_window_is_near()
    {
        Assert.True(FireTiming.IsNear(Now + FireTiming.NearWindow, Now));
    }

    [Fact]
    public void Due_time_just_past_the_near_window_is_far()
    {
        Assert.False(FireTiming.IsNear(Now + FireTiming.NearWindow + TimeSpan.FromMilliseconds(1), Now));
    }

    [Theory]
    [InlineData(-600)]
    [InlineData(0)]
    [InlineData(1)]
    public void Due_times_now_or_past_are_near(int seconds)
    {
        Assert.True(FireTiming.IsNear(Now.AddSeconds(seconds), Now));
    }

    [Fact]
    public void Due_time_an_hour_away_is_far()
    {
        Assert.False(FireTiming.IsNear(Now.AddHours(1), Now));
    }

    [Fact]
    public void Far_due_time_wakes_the_grain_a_wake_lead_early()
    {
        Assert.Equal(TimeSpan.FromMinutes(10) - FireTiming.WakeLead, FireTiming.ReminderDueTime(Now.AddMinutes(10), Now));
    }

    [Fact]
    public void Near_due_time_gets_a_backstop_reminder_a_grace_after_it()
    {
        Assert.Equal(TimeSpan.FromSeconds(20) + FireTiming.BackstopGrace, FireTiming.ReminderDueTime(Now.AddSeconds(20), Now));
    }

    [Fact]
    public void Past_due_time_gets_its_backstop_a_grace_from_now()
    {
        Assert.Equal(FireTiming.BackstopGrace, FireTiming.ReminderDueTime(Now.AddMinutes(-3), Now));
    }

    [Fact]
    public void Backstop_ticks_after_the_due_time()
    {
        Assert.True(FireTiming.BackstopGrace > TimeSpan.Zero);
    }

    [Fact]
    public void Far_reminder_ticks_before_the_due_time_and_inside_the_near_window()
    {
        // The reminder for a far due time must land inside the near window, or no timer is armed in time.
        var due = Now + FireTiming.NearWindow + TimeSpan.FromSeconds(1);
        var tick = Now + FireTiming.ReminderDueTime(due, Now);

        Assert.True(tick > Now);
        Assert.True(tick < due);
        Assert.True(FireTiming.IsNear(due, tick));
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
