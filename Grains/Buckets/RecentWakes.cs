namespace Eventd.Grains.Buckets;

/// <summary>
/// The members a bucket has woken lately, so its sweep does not wake them again too soon. Under
/// load a fire later than the sweep's grace is almost always under way, not lost, and each extra
/// wake of it costs a message and, once it has settled, an activation and a state read: at the
/// edge of a silo's capacity those extra wakes nearly doubled the work per fire and tipped it over.
/// Forgotten whenever the cluster's membership changes, so the activations a dead silo took with
/// it are woken again as soon as before.
/// </summary>
public sealed class RecentWakes
{
    private readonly Dictionary<string, DateTimeOffset> _wokenAt = new(StringComparer.Ordinal);
    private long _membershipVersion = -1;

    public int Count => _wokenAt.Count;

    public void Woke(string eventId, DateTimeOffset now) => _wokenAt[eventId] = now;

    /// <summary>Whether the sweep may wake <paramref name="eventId"/> again: not woken within <see cref="BucketTiming.RewakeAfter"/>.</summary>
    public bool MayWakeAgain(string eventId, DateTimeOffset now) =>
        !_wokenAt.TryGetValue(eventId, out var at) || now - at >= BucketTiming.RewakeAfter;

    /// <summary>Forgets every wake when the membership moved on since the last call (a silo joined, left or died).</summary>
    public void Follow(long membershipVersion)
    {
        if (membershipVersion != _membershipVersion)
        {
            _membershipVersion = membershipVersion;
            _wokenAt.Clear();
        }
    }

    /// <summary>Drops wakes too old to hold anything back.</summary>
    public void Prune(DateTimeOffset now)
    {
        foreach (var (eventId, at) in _wokenAt)
        {
            if (now - at >= BucketTiming.RewakeAfter)
            {
                _wokenAt.Remove(eventId);
            }
        }
    }
}
