using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Schedules;

/// <summary>What becomes of a slot that has come due: whether it fires, the slot after it, and what was skipped.</summary>
/// <param name="Fire">Whether the slot fires.</param>
/// <param name="Next">The next slot to wait for; null when the schedule has no more.</param>
/// <param name="Skipped">Slots not fired (this one included when it does not fire), for <c>skippedFires</c>.</param>
/// <param name="CatchingUp">Catch-up fires made in a row so far (<c>catchup: all</c>), zero once caught up.</param>
public readonly record struct SlotStep(bool Fire, DateTimeOffset? Next, int Skipped, int CatchingUp);

/// <summary>
/// The <c>catchup</c> policy (API.md "Schedules"). A slot is missed when the slot after it was due before
/// now too: it came due while nothing ran, or so late that it stands for several slots. Missed slots fire once
/// together (<c>one</c>), not at all (<c>skip</c>), or each, oldest first, up to a limit (<c>all</c>). A slot
/// that is merely late — the next one not due yet — always fires.
/// </summary>
public static class CatchUp
{
    /// <param name="schedule">The event's schedule.</param>
    /// <param name="due">The slot that has come due.</param>
    /// <param name="now">The time it is handled.</param>
    /// <param name="catchingUp">Catch-up fires made in a row before this slot.</param>
    /// <param name="maxCatchup">At most this many catch-up fires in a row (<c>Eventd:Schedules:MaxCatchup</c>).</param>
    public static SlotStep Step(ScheduleSpec schedule, DateTimeOffset due, DateTimeOffset now, int catchingUp, int maxCatchup)
    {
        var after = ScheduleSlots.After(schedule, due);
        if (after is not { } next || next >= now)
        {
            return new SlotStep(Fire: true, after, Skipped: 0, CatchingUp: 0);
        }

        switch (schedule.Catchup)
        {
            case CatchupPolicy.All when catchingUp < maxCatchup:
                return new SlotStep(Fire: true, next, Skipped: 0, catchingUp + 1);
            case CatchupPolicy.All or CatchupPolicy.Skip:
                var (future, passed) = ScheduleSlots.Pass(schedule, due, now);
                return new SlotStep(Fire: false, future, passed, CatchingUp: 0);
            default:
                // One fire for every slot passed: merged slots are not counted as skipped.
                return new SlotStep(Fire: true, ScheduleSlots.Pass(schedule, due, now).Next, Skipped: 0, CatchingUp: 0);
        }
    }
}
