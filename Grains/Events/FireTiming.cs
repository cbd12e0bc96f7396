namespace Eventd.Grains.Events;

/// <summary>The reminder period every durable wait of Eventd is built on, and the waits a grain may sit out in memory.</summary>
public static class FireTiming
{
    /// <summary>
    /// The period of a waiting delivery's reminder, and the longest retry wait sat out in memory:
    /// a longer one is persisted and left to the reminder.
    /// </summary>
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(15);

    /// <summary>A wait up to this long runs on a grain timer; a longer one is left to a reminder.</summary>
    public static readonly TimeSpan NearWindow = TimeSpan.FromSeconds(75);

    /// <summary>The wait until a due time, never negative.</summary>
    public static TimeSpan Positive(TimeSpan wait) => wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
}
