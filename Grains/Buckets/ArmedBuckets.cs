using System.Collections.Concurrent;

namespace Eventd.Grains.Buckets;

/// <summary>
/// Remembers, per silo, which buckets have had their reminder registered, so only the first events
/// placed in a bucket pay a call to it (a few concurrent first placements may each call: arming is
/// idempotent). Safe to trust until the bucket's slack ends: no bucket retires before then (see
/// <see cref="BucketTiming.RetireMargin"/>), and no event is placed in one after. A failed arm is
/// not remembered, so the next event placed there tries again.
/// </summary>
public sealed class ArmedBuckets(Func<BucketId, Task> arm, TimeProvider time)
{
    private readonly ConcurrentDictionary<BucketId, byte> _armed = new();
    private int _sinceLastPrune;

    public Task EnsureArmedAsync(BucketId bucket) =>
        _armed.ContainsKey(bucket) ? Task.CompletedTask : ArmAsync(bucket);

    private async Task ArmAsync(BucketId bucket)
    {
        await arm(bucket);
        _armed.TryAdd(bucket, 0);
        PruneNowAndThen();
    }

    private void PruneNowAndThen()
    {
        if (Interlocked.Increment(ref _sinceLastPrune) % 1024 != 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var bucket in _armed.Keys)
        {
            if (bucket.End + BucketTiming.Slack < now)
            {
                _armed.TryRemove(bucket, out _);
            }
        }
    }
}
