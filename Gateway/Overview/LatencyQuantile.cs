using Eventd.Grains.Interfaces.Telemetry;

namespace Eventd.Gateway.Overview;

/// <summary>
/// A quantile of a <see cref="LatencyBuckets"/> distribution, estimated as Prometheus's
/// <c>histogram_quantile</c> does: linearly within the bucket the rank falls in, so the console and a
/// Grafana panel over <c>/metrics</c> show the same figure.
/// </summary>
public static class LatencyQuantile
{
    /// <summary>The <paramref name="q"/> quantile (0 to 1) in ms; null without observations. Above the last bound it is that bound.</summary>
    public static double? Of(LatencyBuckets buckets, double q)
    {
        var count = buckets.Count;
        if (count == 0)
        {
            return null;
        }

        var bounds = LatencyBuckets.UpperBoundsMs;
        var rank = q * count;
        var below = 0L;
        for (var i = 0; i < bounds.Length; i++)
        {
            var inBucket = buckets.Counts[i];
            if (inBucket > 0 && below + inBucket >= rank)
            {
                var lower = i == 0 ? 0 : bounds[i - 1];
                return lower + ((bounds[i] - lower) * (rank - below) / inBucket);
            }

            below += inBucket;
        }

        return bounds[^1];
    }
}
