namespace Eventd.Grains.Events;

/// <summary>
/// When an event hands its pending fires to delivery again. A failed hand-off (the delivery grain's
/// silo just died, a call timed out) is retried within seconds, doubling up to <see cref="Longest"/>:
/// a silo's death is declared in a few seconds, after which the delivery grain activates elsewhere.
/// </summary>
public static class HandOffRetry
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(10);

    /// <summary>
    /// While a fire's delivery is under way, its event hands it off again this often: idempotent for
    /// a delivery under way, and it recovers a delivery's report that never reached the event.
    /// </summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(30);

    /// <summary>The wait after the <paramref name="failures"/>-th failed hand-off in a row (1-based).</summary>
    public static TimeSpan After(int failures)
    {
        var doublings = Math.Clamp(failures - 1, 0, 10);
        var wait = First * (1 << doublings);
        return wait < Longest ? wait : Longest;
    }
}
