using System.Buffers;
using System.Diagnostics;
using System.IO.Hashing;
using System.Text;
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
    /// under a fresh span id, or, for an event stored without one, the event's own trace
    /// (<see cref="TraceIdOf"/>), so every attempt of it shares one trace id.
    /// </summary>
    public static string HeaderOutsideSpan(string? traceParent, string eventId)
    {
        var known = ActivityContext.TryParse(traceParent, traceState: null, out var stored);
        var traceId = known ? stored.TraceId : TraceIdOf(eventId);
        var flags = known && stored.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "01" : "00";
        return $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-{flags}";
    }

    /// <summary>
    /// The trace id of an event's webhooks when no trace was stored with it: the id itself when it is one
    /// (32 lowercase hex digits, not all zero: the ids Eventd makes), else the 128-bit hash of it.
    /// </summary>
    public static ActivityTraceId TraceIdOf(string eventId)
    {
        if (eventId.Length == 32 && eventId.AsSpan().IndexOfAnyExcept(HexDigits) < 0 && eventId.AsSpan().IndexOfAnyExcept('0') >= 0)
        {
            return ActivityTraceId.CreateFromString(eventId);
        }

        Span<byte> hash = stackalloc byte[16];
        XxHash128.Hash(Encoding.UTF8.GetBytes(eventId), hash);
        return ActivityTraceId.CreateFromBytes(hash);
    }

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdef");
}
