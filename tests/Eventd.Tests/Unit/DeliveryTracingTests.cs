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
        Assert.True(ActivityContext.TryParse(DeliveryTracing.HeaderOutsideSpan(TraceParentOf(Creator), "0f1e2d3c4b5a69788796a5b4c3d2e1f0"), null, out var sent));

        Assert.Equal(Creator.TraceId, sent.TraceId);
        Assert.NotEqual(Creator.SpanId, sent.SpanId);
        Assert.Equal(ActivityTraceFlags.Recorded, sent.TraceFlags);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not a traceparent")]
    public void Outside_a_span_without_a_stored_trace_every_attempt_carries_the_events_own_trace(string? stored)
    {
        const string eventId = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

        var first = DeliveryTracing.HeaderOutsideSpan(stored, eventId);
        var second = DeliveryTracing.HeaderOutsideSpan(stored, eventId);

        Assert.Matches($"^00-{eventId}-[0-9a-f]{{16}}-00$", first);
        Assert.NotEqual(first, second);
        Assert.Equal(first[..35], second[..35]);
        Assert.NotEqual(first[..35], DeliveryTracing.HeaderOutsideSpan(stored, "1f1e2d3c4b5a69788796a5b4c3d2e1f0")[..35]);
    }

    [Theory]
    [InlineData("order-42")]
    [InlineData("0F1E2D3C4B5A69788796A5B4C3D2E1F0")]
    [InlineData("00000000000000000000000000000000")]
    public void An_event_id_that_is_no_trace_id_is_hashed_into_one(string eventId)
    {
        var traceId = DeliveryTracing.TraceIdOf(eventId);

        Assert.Matches("^[0-9a-f]{32}$", traceId.ToHexString());
        Assert.NotEqual("00000000000000000000000000000000", traceId.ToHexString());
        Assert.NotEqual(eventId, traceId.ToHexString());
        Assert.Equal(traceId, DeliveryTracing.TraceIdOf(eventId));
    }

    [Fact]
    public void A_span_that_is_neither_recorded_nor_continued_is_not_stored()
    {
        using (var root = new Activity("create").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            Assert.False(root.Recorded);
            Assert.Null(TraceParents.OfCurrentActivity());
        }

        using (var continued = new Activity("create").SetIdFormat(ActivityIdFormat.W3C).SetParentId($"00-{Creator.TraceId}-{Creator.SpanId}-00").Start())
        {
            Assert.Equal(continued.Id, TraceParents.OfCurrentActivity());
            Assert.Equal(Creator.TraceId, continued.TraceId);
        }

        using var recorded = new Activity("create").SetIdFormat(ActivityIdFormat.W3C).Start();
        recorded.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        Assert.Equal(recorded.Id, TraceParents.OfCurrentActivity());
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
