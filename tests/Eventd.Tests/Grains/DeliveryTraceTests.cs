using System.Diagnostics;
using Eventd.Grains.Delivery;
using Eventd.Grains.Interfaces;
using Eventd.TestSupport;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Eventd.Tests.Grains;

/// <summary>The spans a fire's attempts export, read with an in-memory exporter, and the <c>traceparent</c> the receiver got.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DeliveryTraceTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Every_attempt_of_a_fire_is_a_span_in_the_creating_trace_and_its_request_carries_the_http_span()
    {
        var creator = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var exported = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(DeliveryTracing.SourceName, "System.Net.Http")
            .SetSampler(new OneTraceSampler(creator.TraceId))
            .AddInMemoryExporter(exported)
            .Build();
        var id = Events.NewId();
        var path = $"/traced/{id}";
        var calls = 0;
        var previous = fixture.Receiver.Respond;
        fixture.Receiver.Respond = (n, request) =>
            request.Path == path && Interlocked.Increment(ref calls) == 1 ? (500, null) : previous?.Invoke(n, request) ?? (200, null);

        // The first attempt is the event's own, the retry its delivery grain's (from persisted state): both keep the trace.
        await fixture.Cluster.Client.GetGrain<IScheduledEventGrain>(id)
            .Create(Events.Webhook(fixture.Receiver.Url(path), TimeSpan.Zero, retries: 2) with { TraceParent = $"00-{creator.TraceId}-{creator.SpanId}-01" });
        await Poll.UntilAsync(() => fixture.Receiver.ReceivedOn(path).Count == 2, Deadline, "two attempts");
        tracing.ForceFlush();

        Activity[] Spans() => [.. exported];
        var attempts = await Poll.UntilAsync(
            () => Task.FromResult(Spans().Where(s => s.Source.Name == DeliveryTracing.SourceName && (string?)s.GetTagItem("eventd.event_id") == id).ToList()),
            spans => spans.Count == 2,
            Deadline,
            "two attempt spans");
        Assert.All(attempts, span => Assert.Equal((creator.TraceId, creator.SpanId), (span.TraceId, span.ParentSpanId)));

        var sent = fixture.Receiver.ReceivedOn(path).Select(r => ActivityContext.Parse(r.Header("traceparent")!, null)).ToList();
        var http = Spans().Where(s => s.Source.Name == "System.Net.Http" && sent.Any(c => c.SpanId == s.SpanId)).ToList();
        Assert.Equal(2, http.Count);
        Assert.All(http, span => Assert.Contains(attempts, attempt => attempt.SpanId == span.ParentSpanId));
    }

    /// <summary>Records only this test's trace: the silos deliver other tests' webhooks at the same time.</summary>
    private sealed class OneTraceSampler(ActivityTraceId traceId) : Sampler
    {
        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
            new(samplingParameters.TraceId == traceId ? SamplingDecision.RecordAndSample : SamplingDecision.Drop);
    }
}
