using System.Diagnostics.Metrics;
using Eventd.Gateway.Telemetry;
using Eventd.Grains.Interfaces.Telemetry;
using Eventd.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace Eventd.Tests.Unit;

/// <summary>A silo's process totals, the buckets its latencies land in, and the gateway's sum of silos.</summary>
public sealed class MetricsSnapshotTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private IMeterFactory MeterFactory => _services.GetRequiredService<IMeterFactory>();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void Each_figure_adds_to_its_own_total()
    {
        var metrics = new EventdMetrics(MeterFactory);

        metrics.EventCreated();
        metrics.EventFired(TimeSpan.FromMilliseconds(3));
        metrics.EventFired(TimeSpan.FromMilliseconds(40));
        metrics.AttemptFinished(succeeded: true, 12);
        metrics.AttemptFinished(succeeded: false, 7);
        metrics.AttemptFinished(succeeded: false, 300);
        metrics.RetryPending(2);
        metrics.RetryPending(-1);

        var snapshot = metrics.Snapshot();
        Assert.Equal(1, snapshot.EventsCreated);
        Assert.Equal(2, snapshot.Fires);
        Assert.Equal(1, snapshot.AttemptsSucceeded);
        Assert.Equal(2, snapshot.AttemptsFailed);
        Assert.Equal(1, snapshot.RetriesPending);
        Assert.Equal(3, snapshot.AttemptDuration.Count);
        Assert.Equal(319, snapshot.AttemptDuration.SumMs);
        Assert.Equal(2, snapshot.FireLateness.Count);
        Assert.Equal(43, snapshot.FireLateness.SumMs);
    }

    [Theory]
    [InlineData(-2, 0)]
    [InlineData(0, 0)]
    [InlineData(5, 0)]
    [InlineData(5.01, 1)]
    [InlineData(10, 1)]
    [InlineData(99.9, 4)]
    [InlineData(1000, 7)]
    [InlineData(10000, 10)]
    [InlineData(10000.5, 11)]
    public void An_attempt_lands_in_the_first_bucket_whose_bound_it_does_not_exceed(double ms, int bucket)
    {
        var metrics = new EventdMetrics(MeterFactory);

        metrics.AttemptFinished(succeeded: true, ms);

        var counts = metrics.Snapshot().AttemptDuration.Counts;
        Assert.Equal(LatencyBuckets.UpperBoundsMs.Length + 1, counts.Length);
        Assert.Equal(1, counts[bucket]);
        Assert.Equal(1, counts.Sum());
    }

    [Fact]
    public void An_early_fire_counts_in_the_lowest_bucket_and_adds_nothing_to_the_sum()
    {
        var metrics = new EventdMetrics(MeterFactory);

        metrics.EventFired(TimeSpan.FromMilliseconds(-20));
        metrics.EventFired(TimeSpan.FromSeconds(30));

        var lateness = metrics.Snapshot().FireLateness;
        Assert.Equal([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], lateness.Counts.ToArray());
        Assert.Equal(30_000, lateness.SumMs);
    }

    [Fact]
    public void A_snapshot_stays_as_it_was_taken()
    {
        var metrics = new EventdMetrics(MeterFactory);
        metrics.AttemptFinished(succeeded: true, 1);

        var before = metrics.Snapshot();
        metrics.AttemptFinished(succeeded: true, 1);

        Assert.Equal(1, before.AttemptsSucceeded);
        Assert.Equal(1, before.AttemptDuration.Counts[0]);
        Assert.Equal(2, metrics.Snapshot().AttemptDuration.Counts[0]);
    }

    [Fact]
    public void Counts_from_many_threads_are_all_kept()
    {
        var metrics = new EventdMetrics(MeterFactory);

        Parallel.For(0, 10_000, i => metrics.AttemptFinished(i % 2 == 0, i % 20));

        var snapshot = metrics.Snapshot();
        Assert.Equal(5_000, snapshot.AttemptsSucceeded);
        Assert.Equal(5_000, snapshot.AttemptsFailed);
        Assert.Equal(10_000, snapshot.AttemptDuration.Count);
    }

    [Fact]
    public void Summing_snapshots_adds_every_figure_and_every_bucket()
    {
        var one = new EventdMetrics(MeterFactory);
        one.EventCreated();
        one.EventFired(TimeSpan.FromMilliseconds(2));
        one.AttemptFinished(succeeded: true, 30);
        one.RetryPending(1);
        var two = new EventdMetrics(MeterFactory);
        two.EventCreated();
        two.EventCreated();
        two.EventFired(TimeSpan.FromMilliseconds(700));
        two.AttemptFinished(succeeded: true, 40);
        two.AttemptFinished(succeeded: false, 20_000);

        var total = MetricsSnapshot.Sum([one.Snapshot(), two.Snapshot()]);

        Assert.Equal(3, total.EventsCreated);
        Assert.Equal(2, total.Fires);
        Assert.Equal(2, total.AttemptsSucceeded);
        Assert.Equal(1, total.AttemptsFailed);
        Assert.Equal(1, total.RetriesPending);
        Assert.Equal([0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1], total.AttemptDuration.Counts.ToArray());
        Assert.Equal(20_070, total.AttemptDuration.SumMs);
        Assert.Equal([1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0], total.FireLateness.Counts.ToArray());
        Assert.Equal(702, total.FireLateness.SumMs);
    }

    [Fact]
    public void The_sum_of_no_snapshots_is_all_zero()
    {
        var total = MetricsSnapshot.Sum([]);

        Assert.Equal(MetricsSnapshot.Empty, total);
        Assert.Equal(0, total.AttemptDuration.Count);
        Assert.Equal(LatencyBuckets.UpperBoundsMs.Length + 1, total.FireLateness.Counts.Length);
    }

    [Fact]
    public void The_cluster_meter_exports_the_sum_with_cumulative_buckets_by_le()
    {
        var factory = MeterFactory;
        var cluster = new ClusterMetrics(factory);
        var silo = new EventdMetrics(factory);
        silo.AttemptFinished(succeeded: true, 3);
        silo.AttemptFinished(succeeded: true, 40);
        silo.AttemptFinished(succeeded: false, 40_000);
        cluster.Update(MetricsSnapshot.Sum([silo.Snapshot(), silo.Snapshot()]), silos: 2);

        var seen = Observe(factory);

        Assert.Equal(2, seen[("eventd.cluster.silos", "")]);
        Assert.Equal(4, seen[("eventd.cluster.delivery.attempts", "outcome=success")]);
        Assert.Equal(2, seen[("eventd.cluster.delivery.attempts", "outcome=failure")]);
        Assert.Equal(2, seen[("eventd.cluster.delivery.duration.bucket", "le=5")]);
        Assert.Equal(2, seen[("eventd.cluster.delivery.duration.bucket", "le=25")]);
        Assert.Equal(4, seen[("eventd.cluster.delivery.duration.bucket", "le=50")]);
        Assert.Equal(4, seen[("eventd.cluster.delivery.duration.bucket", "le=10000")]);
        Assert.Equal(6, seen[("eventd.cluster.delivery.duration.bucket", "le=+Inf")]);
        Assert.Equal(6, seen[("eventd.cluster.delivery.duration.count", "")]);
        Assert.Equal(80_086, seen[("eventd.cluster.delivery.duration.sum", "")]);
        Assert.Equal(0, seen[("eventd.cluster.fire.lateness.count", "")]);
    }

    /// <summary>Every measurement of the <c>Eventd.Cluster</c> meter made by <paramref name="factory"/>, by name and tags.</summary>
    private static Dictionary<(string Name, string Tags), long> Observe(IMeterFactory factory)
    {
        var seen = new Dictionary<(string, string), long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ClusterMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            seen[(instrument.Name, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))] = value);
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
            seen[(instrument.Name, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return seen;
    }
}
