using Eventd.Grains.Events;
using Eventd.Grains.Interfaces;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>What an event's state becomes when a slot comes due, by catch-up and overlap together.</summary>
public class DueSlotsTests
{
    private static readonly DateTimeOffset First = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_slot_on_time_with_nothing_delivering_fires_and_moves_to_the_next()
    {
        var state = Every(1, OverlapPolicy.Skip);

        Assert.True(DueSlots.Take(state, First, First.AddMilliseconds(3), maxCatchup: 100));
        Assert.Equal((First.AddSeconds(1), 0), (state.NextFireAt, state.SkippedFires));
    }

    [Fact]
    public void Buffer_one_keeps_one_slot_while_a_fire_delivers_and_skips_the_next()
    {
        var state = Every(1, OverlapPolicy.BufferOne);
        state.PendingDeliveries.Add(1);

        Assert.False(DueSlots.Take(state, First, First.AddMilliseconds(3), maxCatchup: 100));
        Assert.Equal(First, state.BufferedSlot);
        Assert.False(DueSlots.Take(state, First.AddSeconds(1), First.AddSeconds(1.003), maxCatchup: 100));
        Assert.Equal((First, 1, First.AddSeconds(2)), (state.BufferedSlot, state.SkippedFires, state.NextFireAt));
    }

    [Fact]
    public void Missed_slots_skipped_by_catch_up_are_counted_before_overlap_is_asked()
    {
        var state = Every(1, OverlapPolicy.Skip, CatchupPolicy.Skip);
        state.PendingDeliveries.Add(1);

        Assert.False(DueSlots.Take(state, First, First.AddSeconds(2.5), maxCatchup: 100));
        Assert.Equal((3, First.AddSeconds(3)), (state.SkippedFires, state.NextFireAt));
    }

    [Fact]
    public void Slots_passed_while_paused_are_counted_and_a_one_off_is_kept_for_resume()
    {
        var repeating = Every(1, OverlapPolicy.Allow).Spec!.Schedule;
        var oneOff = new ScheduleSpec { FirstDueAt = First };

        Assert.Equal((First.AddSeconds(5), 5), DueSlots.PassedWhilePaused(repeating, First, First.AddSeconds(4.5)));
        Assert.Equal((First, 0), DueSlots.PassedWhilePaused(oneOff, First, First.AddSeconds(4.5)));
    }

    private static ScheduledEventState Every(double seconds, OverlapPolicy overlap, CatchupPolicy catchup = CatchupPolicy.One) => new()
    {
        Spec = new EventSpec
        {
            Schedule = new ScheduleSpec { DelaySeconds = seconds, Repeat = RepeatMode.Forever, FirstDueAt = First, Overlap = overlap, Catchup = catchup },
            Webhook = new WebhookTarget { Url = "https://example.com/hook" },
        },
        NextFireAt = First,
    };
}
