using Eventd.Grains.Delivery;
using Eventd.Grains.Interfaces;
using Eventd.TestSupport;

namespace Eventd.Tests.Grains;

/// <summary>The event grain makes a fire's first attempt itself; its delivery grain only takes over what that attempt did not deliver.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FirstAttemptTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private IGrainFactory Grains => fixture.Cluster.Client;

    private IScheduledEventGrain Event(string id) => Grains.GetGrain<IScheduledEventGrain>(id);

    private IWebhookDeliveryGrain FirstDelivery(string id) => Grains.GetGrain<IWebhookDeliveryGrain>(DeliveryKeys.For(id, 1, DeliveryKeys.Webhook));

    private Task<int> ActivationsAsync(IWebhookDeliveryGrain delivery) =>
        Grains.GetGrain<IManagementGrain>(0).GetGrainActivationCount((GrainReference)delivery);

    private Task<EventView?> DeliveredAsync(string id) =>
        Poll.UntilAsync(() => Event(id).Get(), v => v?.Status is EventStatus.Delivered, Deadline, $"{id} delivered");

    [Fact]
    public async Task A_fire_delivered_at_its_first_attempt_is_recorded_without_activating_its_delivery_grain()
    {
        var id = Events.NewId();
        var path = $"/first-ok/{id}";

        await Event(id).Create(Events.Webhook(fixture.Receiver.Url(path), TimeSpan.Zero));
        var view = await DeliveredAsync(id);

        Assert.Equal(0, await ActivationsAsync(FirstDelivery(id)));
        Assert.Equal(1, view!.LastDelivery!.Attempts);
        Assert.Equal(200, view.LastDelivery.StatusCode);
        var attempt = Assert.Single(await FirstDelivery(id).GetAttempts());
        Assert.Equal((1, 1, 200), (attempt.Seq, attempt.Attempt, attempt.StatusCode));
        Assert.Single(fixture.Receiver.ReceivedOn(path));
    }

    [Fact]
    public async Task A_read_of_the_attempts_before_the_fire_does_not_hide_the_attempt_recorded_after_it()
    {
        var id = Events.NewId();
        var path = $"/first-read-early/{id}";
        await Event(id).Create(Events.Webhook(fixture.Receiver.Url(path), TimeSpan.FromSeconds(2)));

        Assert.Empty(await FirstDelivery(id).GetAttempts());
        await DeliveredAsync(id);

        var attempt = Assert.Single(await FirstDelivery(id).GetAttempts());
        Assert.Equal(200, attempt.StatusCode);
    }

    [Fact]
    public async Task A_failed_first_attempt_is_retried_by_the_delivery_grain_after_the_wait_the_receiver_asked_for()
    {
        var id = Events.NewId();
        var path = $"/first-busy/{id}";
        var calls = 0;
        var previous = fixture.Receiver.Respond;
        fixture.Receiver.Respond = (n, request) =>
            request.Path == path && Interlocked.Increment(ref calls) == 1
                ? (503, new Dictionary<string, string> { ["Retry-After"] = "1" })
                : previous?.Invoke(n, request) ?? (200, null);

        await Event(id).Create(Events.Webhook(fixture.Receiver.Url(path), TimeSpan.Zero, retries: 2));
        var view = await DeliveredAsync(id);

        var attempts = await FirstDelivery(id).GetAttempts();
        Assert.Equal([503, 200], attempts.Select(a => a.StatusCode ?? 0));
        Assert.Equal([1, 2], attempts.Select(a => a.Attempt));
        Assert.Equal(2, view!.LastDelivery!.Attempts);
        Assert.All(fixture.Receiver.ReceivedOn(path), r => Assert.Equal($"{id}.1", r.Header("webhook-id")));

        // Retry-After: 1 is capped by the test cluster's BackoffMaxMs (500); its plain backoff would be 25-50 ms.
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromMilliseconds(500), $"the retry came {(attempts[1].At - attempts[0].At).TotalMilliseconds} ms after the first attempt");
    }

    [Fact]
    public async Task A_fire_whose_delivery_already_has_a_record_settles_from_that_record()
    {
        var id = Events.NewId();
        var path = $"/first-recorded/{id}";
        var spec = Events.Webhook(fixture.Receiver.Url(path), TimeSpan.FromSeconds(1));
        var request = new WebhookRequest { EventId = id, Seq = 1, Target = DeliveryKeys.Webhook, Webhook = spec.Webhook!, Project = spec.Project };
        var planted = new DeliveryAttempt { Seq = 1, Attempt = 1, At = DateTimeOffset.UtcNow, StatusCode = 202 };
        await fixture.Storage.WriteStateAsync(
            WebhookDeliveryState.Name,
            FirstDelivery(id).GetGrainId(),
            new GrainState<WebhookDeliveryState>(new WebhookDeliveryState { Request = request, Attempts = [planted], Result = DeliveryResult.After(planted, 1) }));

        await Event(id).Create(spec);
        var view = await DeliveredAsync(id);

        // The event's own attempt went out, but its record could not replace the one there: that one reports.
        Assert.Single(fixture.Receiver.ReceivedOn(path));
        Assert.Equal(202, view!.LastDelivery!.StatusCode);
        Assert.Equal(202, Assert.Single(await FirstDelivery(id).GetAttempts()).StatusCode);
    }

    [Fact]
    public async Task A_failed_first_attempt_of_a_fire_without_retries_fails_the_event()
    {
        var id = Events.NewId();
        var path = $"/first-down/{id}";
        var previous = fixture.Receiver.Respond;
        fixture.Receiver.Respond = (n, request) => request.Path == path ? (500, null) : previous?.Invoke(n, request) ?? (200, null);

        await Event(id).Create(Events.Webhook(fixture.Receiver.Url(path), TimeSpan.Zero, retries: 0));
        var view = await Poll.UntilAsync(() => Event(id).Get(), v => v?.Status is EventStatus.Failed, Deadline, "the event to fail");

        Assert.Equal((1, 500), (view!.LastDelivery!.Attempts, view.LastDelivery.StatusCode));
        Assert.Single(await FirstDelivery(id).GetAttempts());
        Assert.Single(fixture.Receiver.ReceivedOn(path));
    }
}
