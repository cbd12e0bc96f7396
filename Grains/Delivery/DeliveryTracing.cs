using System.Diagnostics;
using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Delivery;

/// <summary>
/// The span of one webhook attempt, a child of the request that created the event (its stored
/// <see cref="WebhookRequest.TraceParent"/>), and the <c>traceparent</c> a receiver gets without one.
/// </summary>
public static class DeliveryTracing
{
    public const string SourceName = "Eventd.Delivery";
    public const string TraceParentHeader = "traceparent";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// The attempt's span, parented by the stored trace context; null when nothing listens (tracing off),
    /// at the cost of one check on the fire path.
    /// </summary>
    public static Activity? Start(WebhookRequest request)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var parent = ActivityContext.TryParse(request.TraceParent, traceState: null, out var stored) ? stored : default;
        var span = Source.StartActivity("webhook attempt", ActivityKind.Internal, parent);
        span?.SetTag("eventd.event_id", request.EventId);
        span?.SetTag("eventd.seq", request.Seq);
        span?.SetTag("eventd.target", request.Target);
        return span;
    }

    /// <summary>
    /// A <c>traceparent</c> for an attempt sent outside any span: the stored trace (and its sampled flag)
    /// under a fresh span id, or a new trace when the event has none.
    /// </summary>
    public static string HeaderOutsideSpan(string? traceParent)
    {
        var known = ActivityContext.TryParse(traceParent, traceState: null, out var stored);
        var traceId = known ? stored.TraceId : ActivityTraceId.CreateRandom();
        var flags = known && stored.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "01" : "00";
        return $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-{flags}";
    }
}
