namespace Eventd.Grains.Buckets;

/// <summary>
/// Puts an event in the bucket that will wake it: adds its member and makes sure the bucket's
/// reminder is registered. Used by the event grain and by the intake, which writes a new event
/// without activating it.
/// </summary>
public sealed class BucketPlacement(BucketStore store, ArmedBuckets armed, TimeProvider time)
{
    /// <summary>
    /// Places <paramref name="eventId"/> for <paramref name="wakeAt"/>: in its <paramref name="current"/>
    /// bucket when that still covers the time, else in the bucket of the time. Returns where it is
    /// now and the bucket it leaves, if any (to be removed once the state naming the new one is written).
    /// </summary>
    public async Task<(BucketId Bucket, BucketId? Left)> PlaceAsync(string eventId, string? current, DateTimeOffset wakeAt)
    {
        var now = time.GetUtcNow();
        BucketId? from = BucketId.TryParse(current, out var b) ? b : null;
        var target = from is { } c && c.Covers(wakeAt, now) ? c : BucketId.For(eventId, wakeAt, now);
        await Task.WhenAll(store.AddAsync(target, eventId, wakeAt), armed.EnsureArmedAsync(target));
        return (target, from is { } old && old != target ? old : null);
    }

    /// <summary>
    /// Places new events (in no bucket yet), one command per bucket they fall in: what the intake does
    /// for a batch. Returns each event's bucket, in the order given.
    /// </summary>
    public async Task<BucketId[]> PlaceNewAsync(IReadOnlyList<(string EventId, DateTimeOffset WakeAt)> events)
    {
        var now = time.GetUtcNow();
        var targets = events.Select(e => BucketId.For(e.EventId, e.WakeAt, now)).ToArray();
        var byBucket = events.Select((e, i) => (Bucket: targets[i], Member: e)).GroupBy(x => x.Bucket, x => x.Member);
        await Task.WhenAll(byBucket.SelectMany(group => new[] { store.AddAsync(group.Key, group), armed.EnsureArmedAsync(group.Key) }));
        return targets;
    }
}
