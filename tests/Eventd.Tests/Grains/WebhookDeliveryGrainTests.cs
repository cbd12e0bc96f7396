using Eventd.Grains.Interfaces;
using Eventd.TestSupport;

namespace Eventd.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class WebhookDeliveryGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private IScheduledEventGrain Grain(string id) => fixture.Cluster.Client.GetGrain<IScheduledEventGrain>(id);

    [Fact]
    public async Task Failed_attempts_are_retried_with_the_same_webhook_id_until_success()
    {
        var id = Events.NewId();
        var path = $"/flaky/{id}";
        var calls = 0;
        var previous = fixture.Receiver.Respond;
        fixture.Receiver.Respond = (_, request) =>
            request.Path == path && Interlocked.Increment(ref calls) <= 2 ? (500, null) : (previous?.Invoke(0, request) ?? (200, null));

        await Grain(id).Create(Events.Webhook(fixture.Receiver.Url(path), TimeSpan.Zero, retries: 3));
        var view = await Poll.UntilAsync(() => Grain(id).Get(), v => v?.Status == EventStatus.Delivered, Deadline, "delivery after two failures");

        var requests = fixture.Receiver.ReceivedOn(path);
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal($"{id}.1", r.Header("webhook-id")));
        Assert.Equal(3, view!.LastDelivery!.Attempts);
        var attempts = await fixture.Cluster.Client.GetGrain<IWebhookDeliveryGrain>(DeliveryKeys.For(id, 1, DeliveryKeys.Webhook)).GetAttempts();
        Assert.Equal([500, 500, 200], attempts.Select(a => a.StatusCode ?? 0));
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Attempt));
    }

    [Fact]
    public async Task Exhausted_retries_leave_the_event_failed_with_the_last_error()
    {
        var id = Events.NewId();
        var path = $"/down/{id}";
        var previous = fixture.Receiver.Respond;
        fixture.Receiver.Respond = (n, request) => request.Path == path ? (503, null) : (previous?.Invoke(n, request) ?? (200, null));

        await Grain(id).Create(Events.Webhook(fixture.Receiver.Url(path), TimeSpan.Zero, retries: 1));
        var view = await Poll.UntilAsync(() => Grain(id).Get(), v => v?.Status == EventStatus.Failed, Deadline, "the event to fail");

        Assert.Equal(2, fixture.Receiver.ReceivedOn(path).Count);
        Assert.False(view!.LastDelivery!.Succeeded);
        Assert.Equal(2, view.LastDelivery.Attempts);
        Assert.Equal(503, view.LastDelivery.StatusCode);
        Assert.Equal("HTTP 503", view.LastDelivery.Error);
    }

    [Fact]
    public async Task Unreachable_target_is_a_failed_attempt_saying_why()
    {
        var id = Events.NewId();
        var closedPort = FreePort.Next();
        await Grain(id).Create(Events.Webhook($"http://127.0.0.1:{closedPort}/nobody", TimeSpan.Zero, retries: 0));

        var view = await Poll.UntilAsync(() => Grain(id).Get(), v => v?.Status == EventStatus.Failed, Deadline, "the event to fail");

        Assert.Equal(1, view!.LastDelivery!.Attempts);
        Assert.Null(view.LastDelivery.StatusCode);
        Assert.Equal("connection refused", view.LastDelivery.Error);
    }
}
