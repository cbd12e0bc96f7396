using Eventd.Grains.Interfaces;
using Eventd.Grains.Schedules;

namespace Eventd.Grains.Events;

/// <summary>
/// What an event does with the slot that has come due, by its schedule's policies (API.md "Schedules"):
/// fires it now, or passes it over — missed under <c>catchup</c>, or overlapping a fire still delivering
/// under <c>overlap</c> (skipped, or buffered until that fire settles). Moves the state's next slot on
/// either way and counts what was skipped. A paused event takes no slot: those passed while it was
/// paused are counted when it resumes (<see cref="PassedWhilePaused"/>).
/// </summary>
public static class DueSlots
{
    /// <summary>True when <paramref name="due"/> fires now; the state's <c>NextFireAt</c> is the slot after it either way.</summary>
    public static bool Take(ScheduledEventState state, DateTimeOffset due, DateTimeOffset now, int maxCatchup)
    {
        var schedule = state.Spec!.Schedule;
        var step = CatchUp.Step(schedule, due, now, state.CatchingUp, maxCatchup);
        state.CatchingUp = step.CatchingUp;
        state.SkippedFires += step.Skipped;
        state.NextFireAt = step.Next;
        if (!step.Fire)
        {
            return false;
        }

        switch (Overlap.Decide(schedule.Overlap, delivering: state.PendingDeliveries.Count > 0, buffered: state.BufferedSlot is not null))
        {
            case OverlapAction.Skip:
                state.SkippedFires++;
                return false;
            case OverlapAction.Buffer:
                state.BufferedSlot = due;
                return false;
            default:
                return true;
        }
    }

    /// <summary>
    /// The slots of a paused event passed from <paramref name="due"/> up to <paramref name="now"/>: its next slot
    /// and how many were skipped. A one-off's only slot is not skipped: it fires when the event resumes.
    /// </summary>
    public static (DateTimeOffset? Next, int Skipped) PassedWhilePaused(ScheduleSpec schedule, DateTimeOffset due, DateTimeOffset now) =>
        IsOneOff(schedule) ? (due, 0) : ScheduleSlots.Pass(schedule, due, now);

    private static bool IsOneOff(ScheduleSpec schedule) =>
        schedule.Cron is null && (schedule.Repeat == RepeatMode.Once || (schedule.Repeat == RepeatMode.Times && schedule.Times <= 1));
}
