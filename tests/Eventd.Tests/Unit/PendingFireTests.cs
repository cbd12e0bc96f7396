using Eventd.Grains.Events;
using Eventd.Grains.Interfaces;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>How an event keeps its pending fires: the hand-off retry's backoff, and when the event next needs waking.</summary>
public class PendingFireTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(5, 10)]
    [InlineData(50, 10)]
    public void A_failed_hand_off_is_retried_within_seconds_doubling_up_to_ten(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), HandOffRetry.After(failures));

    [Fact]
    public void With_nothing_pending_the_event_wakes_for_its_next_fire()
    {
        var state = State(nextFireAt: Now.AddMinutes(5));

        Assert.Equal(Now.AddMinutes(5), state.WakeAt(Now));
    }

    [Fact]
    public void A_pending_fire_wakes_the_event_for_its_hand_off_when_that_comes_before_the_next_fire()
    {
        var state = State(nextFireAt: Now.AddMinutes(5));
        state.AddPending(1, Now.AddSeconds(30));

        Assert.Equal(Now.AddSeconds(30), state.WakeAt(Now));
        Assert.Equal(EventStatus.Delivering, state.Status);
    }

    [Fact]
    public void A_second_pending_fire_keeps_the_hand_off_time_of_the_first()
    {
        var state = State(nextFireAt: Now.AddSeconds(2));
        state.AddPending(1, Now.AddSeconds(30));
        state.HandOffAt = Now.AddSeconds(1);

        state.AddPending(2, Now.AddSeconds(32));

        Assert.Equal(Now.AddSeconds(1), state.HandOffAt);
        Assert.Equal(Now.AddSeconds(1), state.WakeAt(Now));
    }

    [Fact]
    public void Once_every_pending_fire_settles_a_repeating_event_reads_scheduled_and_forgets_its_hand_off()
    {
        var state = State(nextFireAt: Now.AddSeconds(2));
        state.AddPending(3, Now.AddSeconds(30));
        state.AddPending(4, Now.AddSeconds(32));
        state.HandOffFailures = 3;

        Assert.True(state.RemovePending(3));
        Assert.Equal(EventStatus.Delivering, state.Status);
        Assert.True(state.RemovePending(4));
        Assert.False(state.RemovePending(4));

        Assert.Equal(EventStatus.Scheduled, state.Status);
        Assert.Null(state.HandOffAt);
        Assert.Equal(0, state.HandOffFailures);
        Assert.Equal(Now.AddSeconds(2), state.WakeAt(Now));
    }

    [Fact]
    public void A_pending_fire_stored_without_a_hand_off_time_wakes_the_event_at_once() =>
        Assert.Equal(Now, new ScheduledEventState { PendingDeliveries = [1] }.WakeAt(Now));

    private static ScheduledEventState State(DateTimeOffset nextFireAt) => new() { NextFireAt = nextFireAt };
}
