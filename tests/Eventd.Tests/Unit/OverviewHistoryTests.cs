using System.Collections.Immutable;
using Eventd.Gateway.Overview;
using Eventd.Grains.Interfaces.Telemetry;

namespace Eventd.Tests.Unit;

/// <summary>The console overview's chart points: rates and lateness quantiles from the cluster's growing totals.</summary>
public sealed class OverviewHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_first_sample_makes_no_point()
    {
        var history = new OverviewHistory();

        history.Record(Start, Totals(succeeded: 100, failed: 5));

        Assert.Empty(history.Points());
    }

    [Fact]
    public void A_point_is_the_growth_per_second_since_the_sample_a_window_back()
    {
        var history = new OverviewHistory();
        for (var second = 0; second <= 20; second += 2)
        {
            // 3 successes and 1 failure a second throughout.
            history.Record(Start.AddSeconds(second), Totals(succeeded: 3 * second, failed: second));
        }

        var last = history.Points()[^1];
        Assert.Equal(Start.AddSeconds(20).UtcDateTime, last.At);
        Assert.Equal(DateTimeKind.Utc, last.At.Kind);
        Assert.Equal(3, last.DeliveredPerSecond, 6);
        Assert.Equal(1, last.FailedPerSecond, 6);
    }

    [Fact]
    public void A_burst_reported_at_once_is_spread_over_the_window_not_charted_as_a_spike()
    {
        var history = new OverviewHistory();
        history.Record(Start, Totals(succeeded: 0, failed: 0));
        for (var second = 2; second <= 10; second += 2)
        {
            history.Record(Start.AddSeconds(second), Totals(succeeded: second >= 4 ? 50 : 0, failed: 0));
        }

        Assert.Equal(50 / 10.0, history.Points()[^1].DeliveredPerSecond, 6);
    }

    [Fact]
    public void A_total_that_drops_as_a_silo_leaves_counts_as_nothing_not_a_negative_rate()
    {
        var history = new OverviewHistory();
        history.Record(Start, Totals(succeeded: 100, failed: 10, lateness: [(3, 40)]));
        history.Record(Start.AddSeconds(2), Totals(succeeded: 60, failed: 4, lateness: [(3, 10)]));

        var point = Assert.Single(history.Points());
        Assert.Equal(0, point.DeliveredPerSecond);
        Assert.Equal(0, point.FailedPerSecond);
        Assert.Null(point.LatenessP50Ms);
    }

    [Fact]
    public void Lateness_quantiles_come_from_the_fires_of_the_window_only()
    {
        var history = new OverviewHistory();

        // Long ago, slow fires (bucket 10: 5 s to 10 s); in the window, 100 fires of 5 to 10 ms (bucket 1).
        history.Record(Start, Totals(succeeded: 0, failed: 0, lateness: [(10, 1000)]));
        history.Record(Start.AddSeconds(10), Totals(succeeded: 0, failed: 0, lateness: [(10, 1000), (1, 100)]));

        var point = Assert.Single(history.Points());
        Assert.Equal(7.5, point.LatenessP50Ms!.Value, 6);
        Assert.Equal(9.95, point.LatenessP99Ms!.Value, 6);
    }

    [Fact]
    public void Points_older_than_what_is_kept_are_dropped()
    {
        var history = new OverviewHistory();
        var end = Start + OverviewHistory.Kept + TimeSpan.FromMinutes(1);
        for (var at = Start; at <= end; at += TimeSpan.FromSeconds(2))
        {
            history.Record(at, Totals(succeeded: 0, failed: 0));
        }

        var points = history.Points();
        Assert.Equal(end.UtcDateTime, points[^1].At);
        Assert.True(points[0].At >= (end - OverviewHistory.Kept).UtcDateTime, $"the oldest point, {points[0].At:O}, is older than kept");
        Assert.Equal((int)(OverviewHistory.Kept.TotalSeconds / 2) + 1, points.Count);
    }

    [Theory]
    [InlineData(0.5, 50)] // 50 observations of 25 to 50 ms, then 50 of 50 to 100 ms: the 50th ends the first bucket.
    [InlineData(0.75, 75)]
    [InlineData(1.0, 100)]
    public void A_quantile_is_interpolated_within_its_bucket_as_prometheus_does(double q, double expectedMs)
    {
        var buckets = Buckets((3, 50), (4, 50));

        Assert.Equal(expectedMs, LatencyQuantile.Of(buckets, q)!.Value, 6);
    }

    [Fact]
    public void A_quantile_above_every_bound_is_the_last_bound_and_of_nothing_is_null()
    {
        Assert.Equal(LatencyBuckets.UpperBoundsMs[^1], LatencyQuantile.Of(Buckets((LatencyBuckets.UpperBoundsMs.Length, 5)), 0.5));
        Assert.Null(LatencyQuantile.Of(LatencyBuckets.Empty, 0.5));
    }

    private static MetricsSnapshot Totals(long succeeded, long failed, (int Bucket, long Count)[]? lateness = null) =>
        MetricsSnapshot.Empty with { AttemptsSucceeded = succeeded, AttemptsFailed = failed, FireLateness = Buckets(lateness ?? []) };

    private static LatencyBuckets Buckets(params (int Bucket, long Count)[] counts)
    {
        var all = new long[LatencyBuckets.UpperBoundsMs.Length + 1];
        foreach (var (bucket, count) in counts)
        {
            all[bucket] = count;
        }

        return new LatencyBuckets(ImmutableArray.Create(all), 0);
    }
}
