using System.Diagnostics.Metrics;

namespace Eventd.Grains.Telemetry;

/// <summary>The figures an operator watches, on the <c>Eventd</c> meter (exported to Prometheus).</summary>
public sealed class EventdMetrics
{
    public const string MeterName = "Eventd";

    private readonly Counter<long> _created;
    private readonly Counter<long> _fires;
    private readonly Histogram<double> _lateness;
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _attemptDuration;
    private readonly UpDownCounter<long> _retriesPending;

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

    public void EventCreated() => _created.Add(1);

    public void EventFired(TimeSpan lateness)
    {
        _fires.Add(1);
        _lateness.Record(lateness.TotalMilliseconds);
    }

    public void RetryPending(int delta) => _retriesPending.Add(delta);

    public void AttemptFinished(bool succeeded, double durationMs)
    {
        _attempts.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "success" : "failure"));
        _attemptDuration.Record(durationMs);
    }
}
