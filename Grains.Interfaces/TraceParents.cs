using System.Diagnostics;

namespace Eventd.Grains.Interfaces;

/// <summary>The W3C <c>traceparent</c> an event stores (<see cref="EventSpec.TraceParent"/>) from the code that creates it.</summary>
public static class TraceParents
{
    /// <summary>
    /// The current span in W3C form: in the gateway the request's (ASP.NET Core starts one per request,
    /// continuing the caller's <c>traceparent</c>, whether or not traces are exported); in a grain the
    /// incoming call's, which exists only while tracing is on (Orleans activity propagation).
    /// </summary>
    /// <remarks>
    /// Null for a span that is neither recorded nor continues a caller's trace (tracing off, no
    /// <c>traceparent</c> sent): no one can look its trace up, and storing it would cost every pending
    /// event about 70 bytes of Redis. Its webhooks carry a trace named after the event instead
    /// (<c>DeliveryTracing.HeaderOutsideSpan</c>).
    /// </remarks>
    public static string? OfCurrentActivity() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity && (activity.Recorded || activity.ParentSpanId != default)
            ? activity.Id
            : null;
}
