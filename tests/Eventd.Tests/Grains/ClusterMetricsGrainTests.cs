using Eventd.Grains.Interfaces.Telemetry;

namespace Eventd.Tests.Grains;

/// <summary>
/// The cluster metrics grain as the silos and the gateway use it, reported to under the TestCluster's own
/// silo addresses (live in its membership). Time is the grain's own clock, moved by the test. Each test
/// uses a grain of its own (any key works like the cluster's one), so it sees only its reports.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterMetricsGrainTests(ClusterFixture fixture)
{
    private SiloAddress SiloA => fixture.Cluster.Silos[0].SiloAddress;
    private SiloAddress SiloB => fixture.Cluster.Silos[1].SiloAddress;

    private IClusterMetricsGrain NewGrain() => fixture.Cluster.Client.GetGrain<IClusterMetricsGrain>(Random.Shared.NextInt64(1, long.MaxValue));

    /// <summary>A distribution with <paramref name="count"/> observations in bucket <paramref name="bucket"/>.</summary>
    private static LatencyBuckets Buckets(int bucket, long count, long sumMs)
    {
        var counts = new long[LatencyBuckets.UpperBoundsMs.Length + 1];
        counts[bucket] = count;
        return new([.. counts], sumMs);
    }

    private static MetricsSnapshot Fired(long fires) => new(fires, fires, fires, 0, 0, Buckets(2, fires, 20 * fires), Buckets(0, fires, fires));

    [Fact]
    public async Task Two_silos_reports_are_summed_figure_by_figure_and_bucket_by_bucket()
    {
        var grain = NewGrain();
        await grain.Report(SiloA, new MetricsSnapshot(3, 2, 2, 0, 1, Buckets(3, 2, 70), Buckets(0, 2, 4)));
        await grain.Report(SiloB, new MetricsSnapshot(5, 4, 1, 3, 2, Buckets(11, 4, 80_000), Buckets(7, 4, 3_000)));

        var live = await grain.Live();

        Assert.Equal(2, live.Snapshots.Length);
        var total = MetricsSnapshot.Sum(live.Snapshots);
        Assert.Equal(8, total.EventsCreated);
        Assert.Equal(6, total.Fires);
        Assert.Equal(3, total.AttemptsSucceeded);
        Assert.Equal(3, total.AttemptsFailed);
        Assert.Equal(3, total.RetriesPending);
        Assert.Equal([0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 4], total.AttemptDuration.Counts.ToArray());
        Assert.Equal(80_070, total.AttemptDuration.SumMs);
        Assert.Equal([2, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0], total.FireLateness.Counts.ToArray());
        Assert.Equal(3_004, total.FireLateness.SumMs);
    }

    [Fact]
    public async Task A_report_replaces_the_previous_one_of_the_same_silo()
    {
        var grain = NewGrain();
        await grain.Report(SiloA, Fired(1));
        await grain.Report(SiloB, Fired(10));

        await grain.Report(SiloA, Fired(5));

        var live = await grain.Live();
        Assert.Equal(2, live.Snapshots.Length);
        Assert.Equal(15, MetricsSnapshot.Sum(live.Snapshots).Fires);
        Assert.Equal(15, MetricsSnapshot.Sum(live.Snapshots).AttemptDuration.Counts[2]);
    }

    [Fact]
    public async Task A_silo_not_heard_from_for_60_s_is_dropped_while_one_still_reporting_stays()
    {
        var grain = NewGrain();
        await grain.Report(SiloA, Fired(1));
        await grain.Report(SiloB, Fired(10));
        ClusterFixture.MetricsClock.Advance(TimeSpan.FromSeconds(30));
        await grain.Report(SiloB, Fired(20));

        ClusterFixture.MetricsClock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(21, MetricsSnapshot.Sum((await grain.Live()).Snapshots).Fires);

        ClusterFixture.MetricsClock.Advance(TimeSpan.FromSeconds(1));
        var live = await grain.Live();
        Assert.Equal(20, Assert.Single(live.Snapshots).Fires);

        await grain.Report(SiloA, Fired(2));
        Assert.Equal(22, MetricsSnapshot.Sum((await grain.Live()).Snapshots).Fires);
    }

    [Fact]
    public async Task A_new_activation_answers_complete_once_every_silo_has_had_two_intervals_to_report()
    {
        var grain = NewGrain();
        await grain.Report(SiloA, Fired(1));
        Assert.False((await grain.Live()).Complete);

        ClusterFixture.MetricsClock.Advance(TimeSpan.FromSeconds(9));
        Assert.False((await grain.Live()).Complete);

        ClusterFixture.MetricsClock.Advance(TimeSpan.FromSeconds(1));
        var live = await grain.Live();
        Assert.True(live.Complete);
        Assert.Equal(1, Assert.Single(live.Snapshots).Fires);
    }

    [Fact]
    public async Task A_snapshot_with_other_buckets_is_ignored_and_the_silos_last_good_one_kept()
    {
        var grain = NewGrain();
        await grain.Report(SiloA, Fired(3));

        await grain.Report(SiloA, new MetricsSnapshot(9, 9, 9, 0, 0, new([1, 2], 3), Buckets(0, 9, 9)));

        Assert.Equal(3, Assert.Single((await grain.Live()).Snapshots).Fires);
    }
}
