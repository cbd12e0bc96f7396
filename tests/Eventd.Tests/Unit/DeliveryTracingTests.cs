using System.Diagnostics;
using Eventd.Grains.Delivery;
using Eventd.Grains.Interfaces;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>The delivery span's parent and the <c>traceparent</c> an attempt sent outside a span carries.</summary>
public class DeliveryTracingTests
{
    private static readonly ActivityContext Creator = new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);

    private static string TraceParentOf(ActivityContext context) =>
        $"00-{context.TraceId}-{context.SpanId}-{(context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "01" : "00")}";

    private static WebhookRequest Request(string? traceParent) => new()
    {
        EventId = Guid.NewGuid().ToString("N"),
        Seq = 1,
        Target = DeliveryKeys.Webhook,
        Webhook = new WebhookTarget { Url = "https://example.com/h" },
        TraceParent = traceParent,
    };

    [Fact]
    public void Outside_a_span_the_header_continues_the_stored_trace_under_a_new_span()
    {
        Assert.True(ActivityContext.TryParse(DeliveryTracing.HeaderOutsideSpan(TraceParentOf(Creator)), null, out var sent));

        Assert.Equal(Creator.TraceId, sent.TraceId);
        Assert.NotEqual(Creator.SpanId, sent.SpanId);
        Assert.Equal(ActivityTraceFlags.Recorded, sent.TraceFlags);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not a traceparent")]
    public void Outside_a_span_without_a_stored_trace_the_header_starts_one(string? stored)
    {
        var header = DeliveryTracing.HeaderOutsideSpan(stored);

        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-00$", header);
        Assert.NotEqual(DeliveryTracing.HeaderOutsideSpan(stored)[..35], header[..35]);
    }

    [Fact]
    public void With_a_listener_the_span_is_a_child_of_the_stored_trace()
    {
        var request = Request(TraceParentOf(Creator));
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DeliveryTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);

        using var span = DeliveryTracing.Start(request);

        Assert.NotNull(span);
        Assert.Equal(Creator.TraceId, span.TraceId);
        Assert.Equal(Creator.SpanId, span.ParentSpanId);
        Assert.Equal(request.EventId, span.GetTagItem("eventd.event_id"));
    }
}
