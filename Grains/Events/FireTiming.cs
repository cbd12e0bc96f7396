namespace Eventd.Grains.Events;

/// <summary>
/// How an event grain arms itself for a due time: a durable reminder that wakes it, and a
/// precise grain timer once the due time is near. Pure, so the choice is unit-tested.
/// </summary>
public static class FireTiming
{
    /// <summary>
    /// The reminder period: the backstop that re-wakes an event after a failover or restart, so
    /// it bounds how late such a fire comes. The silo lowers Orleans' 1-minute minimum to it.
    /// </summary>
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(15);

    /// <summary>How long before a far due time the reminder wakes the grain to arm its timer.</summary>
    public static readonly TimeSpan WakeLead = TimeSpan.FromSeconds(30);

    /// <summary>A due time closer than this gets a timer now: a reminder tick would come too late.</summary>
    public static readonly TimeSpan NearWindow = TimeSpan.FromSeconds(75);

    /// <summary>How long after a near due time the backstop reminder first ticks.</summary>
    public static readonly TimeSpan BackstopGrace = TimeSpan.FromSeconds(2);

    public static bool IsNear(DateTimeOffset due, DateTimeOffset now) => due - now <= NearWindow;

    /// <summary>
    /// The first tick of the reminder for a due time: shortly before a far one (to arm the timer),
    /// shortly after a near one (the timer fires it; the reminder is only the backstop).
    /// </summary>
    public static TimeSpan ReminderDueTime(DateTimeOffset due, DateTimeOffset now) =>
        IsNear(due, now) ? Positive(due - now) + BackstopGrace : due - now - WakeLead;

    /// <summary>The wait until a due time, never negative.</summary>
    public static TimeSpan Positive(TimeSpan wait) => wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
}
