namespace Eventd.Grains.Buckets;

/// <summary>
/// How time buckets wake events. A bucket's reminder wakes it <see cref="WakeLead"/> before its
/// minute; while awake it scans its sorted set every <see cref="ScanInterval"/> and wakes each
/// event <see cref="PokeLead"/> before it is due, and the event arms its own precise timer.
/// </summary>
public static class BucketTiming
{
    /// <summary>
    /// The period of a bucket's reminder: after a failover or restart it bounds how long a bucket
    /// (and so its overdue events) waits to be taken up again; Orleans skips a tick that fell while
    /// the dead silo still owned it, so the wait can be two periods. Buckets are few (16 per busy
    /// minute), so a short period costs next to nothing; the silo lowers Orleans' minimum to it.
    /// </summary>
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(5);

    /// <summary>How long before its minute a bucket's reminder first wakes it.</summary>
    public static readonly TimeSpan WakeLead = TimeSpan.FromSeconds(30);

    /// <summary>How far ahead of its due time an event is woken: time to activate and arm its timer.</summary>
    public static readonly TimeSpan PokeLead = TimeSpan.FromSeconds(3);

    public static readonly TimeSpan ScanInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// An event due this soon arms its timer itself when created or rescheduled: its bucket's scan
    /// may already have passed its due time.
    /// </summary>
    public static readonly TimeSpan TimerWindow = PokeLead + ScanInterval + TimeSpan.FromSeconds(1);

    /// <summary>How often an awake bucket looks for members whose wake-up time passed without them leaving.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A member still present this long after its wake-up time is woken again: its activation was
    /// lost (a silo died), its hand-off failed, or its delivery is still under way.
    /// </summary>
    public static readonly TimeSpan OverdueGrace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A member a bucket woke this recently is not woken again by its sweep, unless the cluster's
    /// membership has changed since (see <c>RecentWakes</c>). Longer than the lead plus the grace,
    /// so a fire running a little late is left to finish.
    /// </summary>
    public static readonly TimeSpan RewakeAfter = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most members one scan or sweep of a bucket wakes. After a long outage a bucket may hold
    /// a great many overdue members; waking them all at once would activate them all at once.
    /// </summary>
    public const int MaxWakesPerScan = 1_000;

    /// <summary>A bucket keeps members due this long after its minute, so a recheck rarely moves an event.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMinutes(1);

    /// <summary>
    /// An empty bucket retires this long after its slack ends: no silo places an event in it any
    /// more by then, even with some clock skew between silos.
    /// </summary>
    public static readonly TimeSpan RetireMargin = TimeSpan.FromMinutes(1);

    /// <summary>Whether an empty bucket may drop its reminder: only once no silo can place an event in it.</summary>
    public static bool CanRetire(BucketId bucket, DateTimeOffset now) => now > bucket.End + Slack + RetireMargin;

    public static bool IsTimerNear(DateTimeOffset due, DateTimeOffset now) => due - now <= TimerWindow;
}
