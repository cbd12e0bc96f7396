using System.Diagnostics.Metrics;
using System.Globalization;
using Eventd.Grains.Interfaces.Telemetry;

namespace Eventd.Gateway.Telemetry;

/// <summary>
/// The whole cluster's figures on the gateway's <c>Eventd.Cluster</c> meter: the sum of the
/// snapshots the silos report to the cluster metrics grain. A scrape runs the observable callbacks
/// synchronously, so they read the last sum, which <see cref="ClusterMetricsRefresher"/> replaces every 2 s.
/// </summary>
public sealed class ClusterMetrics
{
    public const string MeterName = "Eventd.Cluster";

    /// <summary>The <c>le</c> tag of each bucket, the Prometheus way: the upper bound, then <c>+Inf</c>.</summary>
    private static readonly KeyValuePair<string, object?>[] BucketTags =
    [
        .. LatencyBuckets.UpperBoundsMs.Select(bound => new KeyValuePair<string, object?>("le", bound.ToString(CultureInfo.InvariantCulture))),
        new("le", "+Inf"),
    ];

    private static readonly KeyValuePair<string, object?> Success = new("outcome", "success");
    private static readonly KeyValuePair<string, object?> Failure = new("outcome", "failure");

    private volatile ClusterFigures _current = new(MetricsSnapshot.Empty, 0);

    private long _disabledEndpoints;

    public ClusterMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableCounter("eventd.cluster.events.created", () => _current.Total.EventsCreated, description: "Events accepted, all silos");
        meter.CreateObservableCounter("eventd.cluster.fires", () => _current.Total.Fires, description: "Fires of scheduled events, all silos");
        meter.CreateObservableCounter("eventd.cluster.delivery.attempts", () => new Measurement<long>[]
        {
            new(_current.Total.AttemptsSucceeded, Success),
            new(_current.Total.AttemptsFailed, Failure),
        }, description: "Webhook attempts by outcome, all silos");
        meter.CreateObservableGauge("eventd.cluster.delivery.retries.pending", () => _current.Total.RetriesPending, description: "Deliveries waiting for their next attempt, all silos");
        meter.CreateObservableGauge("eventd.cluster.endpoints.disabled", () => Interlocked.Read(ref _disabledEndpoints), description: "Disabled endpoints, every project");
        meter.CreateObservableGauge("eventd.cluster.silos", () => _current.Silos, description: "Silos whose figures are in this sum");
        AddDistribution(meter, "eventd.cluster.delivery.duration", total => total.AttemptDuration, "Webhook attempt latency in ms, all silos");
        AddDistribution(meter, "eventd.cluster.fire.lateness", total => total.FireLateness, "Fire time minus due time in ms, all silos");
    }

    public void Update(MetricsSnapshot total, int silos) => _current = new(total, silos);

    public void UpdateDisabledEndpoints(long count) => Interlocked.Exchange(ref _disabledEndpoints, count);

    /// <summary>
    /// A distribution as Prometheus histograms are laid out (cumulative <c>_bucket</c> by <c>le</c>,
    /// <c>_sum</c>, <c>_count</c>), so <c>histogram_quantile</c> works on it.
    /// </summary>
    private void AddDistribution(Meter meter, string name, Func<MetricsSnapshot, LatencyBuckets> of, string description)
    {
        meter.CreateObservableCounter($"{name}.bucket", () => Cumulative(of(_current.Total)), description: description);
        meter.CreateObservableCounter($"{name}.sum", () => of(_current.Total).SumMs, description: description);
        meter.CreateObservableCounter($"{name}.count", () => of(_current.Total).Count, description: description);
    }

    private static Measurement<long>[] Cumulative(LatencyBuckets buckets)
    {
        var running = 0L;
        var measurements = new Measurement<long>[buckets.Counts.Length];
        for (var i = 0; i < measurements.Length; i++)
        {
            running += buckets.Counts[i];
            measurements[i] = new(running, BucketTags[i]);
        }

        return measurements;
    }

    private sealed record ClusterFigures(MetricsSnapshot Total, int Silos);
}
