using Eventd.Grains.Interfaces.Telemetry;

namespace Eventd.Grains.Telemetry;

/// <summary>A latency distribution counted in the fixed buckets of <see cref="LatencyBuckets"/>, safe from any thread.</summary>
internal sealed class LatencyTotals
{
    private readonly long[] _counts = new long[LatencyBuckets.UpperBoundsMs.Length + 1];
    private long _sumMs;

    public void Record(double ms)
    {
        Interlocked.Increment(ref _counts[LatencyBuckets.BucketOf(ms)]);
        // The sum is exported as a counter, which must never go down: an early fire adds 0 ms.
        Interlocked.Add(ref _sumMs, ms > 0 ? (long)Math.Round(ms) : 0);
    }

    public LatencyBuckets Snapshot()
    {
        var counts = new long[_counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _counts[i]);
        }

        return new([.. counts], Interlocked.Read(ref _sumMs));
    }
}
