using Eventd.Grains.Interfaces.Telemetry;

namespace Eventd.Gateway.Overview;

/// <summary>
/// The last <see cref="Kept"/> of the cluster's figures as chart points, kept in the gateway's memory
/// so that every open console reads the same few kilobytes instead of asking the cluster. The silos'
/// totals only grow, so a point is the difference of two samples <see cref="Window"/> apart: a silo
/// reports every 5 s, and a window of two reports smooths that step out of a per-second rate.
/// </summary>
public sealed class OverviewHistory
{
    public static readonly TimeSpan Kept = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly Queue<Sample> _samples = new();
    private readonly Queue<OverviewPoint> _points = new();

    /// <summary>Adds the cluster's totals as they stood at <paramref name="at"/>; the first sample makes no point, having nothing before it.</summary>
    public void Record(DateTimeOffset at, MetricsSnapshot total)
    {
        lock (_lock)
        {
            // The oldest sample still at least a window back is the base; the ones before it are no longer needed.
            while (_samples.Count > 1 && _samples.ElementAt(1).At <= at - Window)
            {
                _samples.Dequeue();
            }

            if (_samples.TryPeek(out var from) && at > from.At)
            {
                _points.Enqueue(Between(from, new Sample(at, total)));
            }

            _samples.Enqueue(new Sample(at, total));
            while (_points.TryPeek(out var oldest) && oldest.At < (at - Kept).UtcDateTime)
            {
                _points.Dequeue();
            }
        }
    }

    public IReadOnlyList<OverviewPoint> Points()
    {
        lock (_lock)
        {
            return [.. _points];
        }
    }

    /// <summary>
    /// A silo leaving the sum lowers a total: that difference is counted as nothing happened, not as a
    /// negative rate, each figure and each bucket on its own.
    /// </summary>
    private static OverviewPoint Between(Sample from, Sample to)
    {
        var seconds = (to.At - from.At).TotalSeconds;
        var lateness = new LatencyBuckets(
            [.. to.Total.FireLateness.Counts.Zip(from.Total.FireLateness.Counts, (now, before) => Math.Max(0, now - before))],
            Math.Max(0, to.Total.FireLateness.SumMs - from.Total.FireLateness.SumMs));
        return new OverviewPoint(
            to.At.UtcDateTime,
            Math.Max(0, to.Total.AttemptsSucceeded - from.Total.AttemptsSucceeded) / seconds,
            Math.Max(0, to.Total.AttemptsFailed - from.Total.AttemptsFailed) / seconds,
            LatencyQuantile.Of(lateness, 0.5),
            LatencyQuantile.Of(lateness, 0.99));
    }

    private sealed record Sample(DateTimeOffset At, MetricsSnapshot Total);
}
