namespace Eventd.Grains.Flow;

/// <summary>The timing shared by the keys (flow control, ordering) and the deliveries that wait at them.</summary>
public static class KeyPermits
{
    /// <summary>
    /// How often a waiting delivery asks its key again: it keeps its place, and so a permit lost on the way,
    /// or a key grain whose silo died (its line lives in memory), costs at most this long.
    /// </summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long past its due time a fire of an event its ordering key was never told of (see
    /// <c>ExpectedFires</c>) waits before it takes the idle key: fires due at the same moment reach the key from
    /// their own events milliseconds apart (under load, hundreds), and the first due must go first.
    /// </summary>
    public static readonly TimeSpan OrderingGather = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How much longer than its period a start stays in a key's rate window, counted from its attempt's end
    /// (see <see cref="FlowWindow"/>): for the clocks of a silo and a receiver on another host, which differ by a
    /// few milliseconds, so the receiver never counts more than <c>rate</c> in any period of its own clock.
    /// </summary>
    public static readonly TimeSpan RateMargin = TimeSpan.FromMilliseconds(50);

    /// <summary>How long an attempt in flight counts against parallelism past its timeout when its end is never reported.</summary>
    public static readonly TimeSpan HoldMargin = TimeSpan.FromSeconds(10);
}
