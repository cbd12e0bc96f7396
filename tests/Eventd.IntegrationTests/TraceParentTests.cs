using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Eventd.TestSupport;

namespace Eventd.IntegrationTests;

/// <summary>The W3C <c>traceparent</c> every webhook carries, continuing the trace of the request that created its event.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class TraceParentTests(SharedClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private EventdCluster Eventd => fixture.Eventd;

    [Fact]
    public async Task A_webhook_carries_its_events_trace_when_its_create_sent_none()
    {
        var path = $"/trace/none/{Guid.NewGuid():N}";
        var id = await Eventd.CreateEventAsync(new { delay = 1, url = Eventd.Receiver.Url(path) });

        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count == 1, Deadline, "the webhook");

        Assert.True(ActivityContext.TryParse(Eventd.Receiver.ReceivedOn(path)[0].Header("traceparent"), null, out var webhook), "a valid W3C traceparent");
        Assert.Equal(id, webhook.TraceId.ToHexString());
    }

    [Theory]
    [InlineData("01")]
    [InlineData("00")] // not sampled by the caller: still its trace
    public async Task A_webhook_continues_the_trace_of_the_request_that_created_its_event(string flags)
    {
        var path = $"/trace/sent/{Guid.NewGuid():N}";
        var caller = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        using var create = new HttpRequestMessage(HttpMethod.Post, "/eventd/v1/events")
        {
            Content = JsonContent.Create(new { delay = 1, url = Eventd.Receiver.Url(path) }),
        };
        create.Headers.Add("traceparent", $"00-{caller.TraceId}-{caller.SpanId}-{flags}");
        using (var response = await Eventd.Http.SendAsync(create))
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count == 1, Deadline, "the webhook");

        Assert.True(ActivityContext.TryParse(Eventd.Receiver.ReceivedOn(path)[0].Header("traceparent"), null, out var webhook), "a valid W3C traceparent");
        Assert.Equal(caller.TraceId, webhook.TraceId);
        Assert.NotEqual(caller.SpanId, webhook.SpanId);
    }
}
