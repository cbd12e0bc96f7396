using System.Collections.Concurrent;
using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Buckets;

/// <summary>
/// Remembers, per silo, which buckets have had their reminder registered, so only the first event
/// placed in a bucket pays a call to it. Safe to trust until the bucket's slack ends: no bucket
/// retires before then (see <see cref="BucketTiming.RetireMargin"/>), and no event is placed in one after.
/// </summary>
public sealed class ArmedBuckets(IGrainFactory grains, TimeProvider time)
{
    private readonly ConcurrentDictionary<BucketId, Task> _armed = new();
    private int _sinceLastPrune;

    public Task EnsureArmedAsync(BucketId bucket)
    {
        var arming = _armed.GetOrAdd(bucket, ArmAsync);
        if (arming.IsFaulted || arming.IsCanceled)
        {
            // A failed arm is never cached: the next event placed in the bucket tries again.
            _armed.TryRemove(new KeyValuePair<BucketId, Task>(bucket, arming));
        }

        return arming;
    }

    private async Task ArmAsync(BucketId bucket)
    {
        PruneNowAndThen();
        try
        {
            await grains.GetGrain<IEventBucketGrain>(bucket.ToString()).Arm();
        }
        catch
        {
            _armed.TryRemove(bucket, out _);
            throw;
        }
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
