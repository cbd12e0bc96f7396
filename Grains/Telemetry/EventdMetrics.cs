using System.Diagnostics.Metrics;
using Eventd.Grains.Interfaces.Telemetry;

namespace Eventd.Grains.Telemetry;

/// <summary>
/// The figures an operator watches, on the <c>Eventd</c> meter (exported to Prometheus), and kept
/// as process totals too: <see cref="Snapshot"/> is what the silo reports for the gateway's cluster figures.
/// </summary>
public sealed class EventdMetrics
{
    public const string MeterName = "Eventd";

    private readonly Counter<long> _created;
    private readonly Counter<long> _fires;
    private readonly Histogram<double> _lateness;
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _attemptDuration;
    private readonly UpDownCounter<long> _retriesPending;

    private readonly LatencyTotals _latenessTotals = new();
    private readonly LatencyTotals _attemptDurationTotals = new();
    private long _eventsCreatedTotal;
    private long _firesTotal;
    private long _attemptsSucceededTotal;
    private long _attemptsFailedTotal;
    private long _retriesPendingNow;

    public EventdMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _created = meter.CreateCounter<long>("eventd.events.created", description: "Events accepted by a grain");
        _fires = meter.CreateCounter<long>("eventd.fires", description: "Fires of scheduled events");
        _lateness = meter.CreateHistogram<double>("eventd.fire.lateness", unit: "ms", description: "Fire time minus due time");
        _attempts = meter.CreateCounter<long>("eventd.delivery.attempts", description: "Webhook attempts by outcome");
        _attemptDuration = meter.CreateHistogram<double>("eventd.delivery.duration", unit: "ms", description: "Webhook attempt latency");
        _retriesPending = meter.CreateUpDownCounter<long>("eventd.delivery.retries.pending", description: "Deliveries waiting for their next attempt");
    }

    public void EventCreated()
    {
        _created.Add(1);
        Interlocked.Increment(ref _eventsCreatedTotal);
    }

    public void EventFired(TimeSpan lateness)
    {
        _fires.Add(1);
        _lateness.Record(lateness.TotalMilliseconds);
        Interlocked.Increment(ref _firesTotal);
        _latenessTotals.Record(lateness.TotalMilliseconds);
    }

    public void RetryPending(int delta)
    {
        _retriesPending.Add(delta);
        Interlocked.Add(ref _retriesPendingNow, delta);
    }

    public void AttemptFinished(bool succeeded, double durationMs)
    {
        _attempts.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "success" : "failure"));
        _attemptDuration.Record(durationMs);
        Interlocked.Increment(ref succeeded ? ref _attemptsSucceededTotal : ref _attemptsFailedTotal);
        _attemptDurationTotals.Record(durationMs);
    }

    /// <summary>This process's totals so far; each figure is read atomically, not all of them at one instant.</summary>
    public MetricsSnapshot Snapshot() => new(
        Interlocked.Read(ref _eventsCreatedTotal),
        Interlocked.Read(ref _firesTotal),
        Interlocked.Read(ref _attemptsSucceededTotal),
        Interlocked.Read(ref _attemptsFailedTotal),
        Interlocked.Read(ref _retriesPendingNow),
        _attemptDurationTotals.Snapshot(),
        _latenessTotals.Snapshot());
}
