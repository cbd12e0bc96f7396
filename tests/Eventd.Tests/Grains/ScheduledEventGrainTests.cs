using Eventd.Grains.Buckets;
using Eventd.Grains.Interfaces;
using Eventd.TestSupport;

namespace Eventd.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class ScheduledEventGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private IScheduledEventGrain Grain(string id) => fixture.Cluster.Client.GetGrain<IScheduledEventGrain>(id);

    private async Task<EventView> WaitForStatusAsync(string id, EventStatus status) =>
        (await Poll.UntilAsync(() => Grain(id).Get(), v => v?.Status == status, Deadline, $"event {id} to be {status}"))!;

    [Fact]
    public async Task Event_fires_once_when_due_and_reaches_its_webhook()
    {
        var id = Events.NewId();
        var path = $"/fires-once/{id}";
        var created = await Grain(id).Create(Events.Webhook(fixture.Receiver.Url(path), TimeSpan.FromSeconds(1), data: """{"n":1}"""));
        Assert.Equal(EventStatus.Scheduled, created.Status);

        var delivered = await WaitForStatusAsync(id, EventStatus.Delivered);

        var request = Assert.Single(fixture.Receiver.ReceivedOn(path));
        Assert.Equal($"{id}.1", request.Header("webhook-id"));
        Assert.Equal("""{"n":1}""", request.Body);
        Assert.True(request.At >= created.Spec.Schedule.FirstDueAt, "a fire must never come before its due time");
        Assert.Equal(1, delivered.FireCount);
        Assert.Null(delivered.NextFireAt);
        Assert.Equal(200, delivered.LastDelivery?.StatusCode);
    }

    [Fact]
    public async Task Cancel_before_due_never_fires()
    {
        var cancelledId = Events.NewId();
        var controlId = Events.NewId();
        var cancelledPath = $"/cancelled/{cancelledId}";
        var controlPath = $"/control/{controlId}";
        await Grain(cancelledId).Create(Events.Webhook(fixture.Receiver.Url(cancelledPath), TimeSpan.FromSeconds(1.5)));
        await Grain(controlId).Create(Events.Webhook(fixture.Receiver.Url(controlPath), TimeSpan.FromSeconds(2)));

        Assert.Equal(CancelOutcome.Cancelled, await Grain(cancelledId).Cancel());

        // The control event was due after the cancelled one: once it has arrived, the
        // cancelled one would have too.
        await WaitForStatusAsync(controlId, EventStatus.Delivered);
        Assert.Empty(fixture.Receiver.ReceivedOn(cancelledPath));
        var cancelled = await Grain(cancelledId).Get();
        Assert.Equal(EventStatus.Cancelled, cancelled!.Status);
        Assert.Equal(0, cancelled.FireCount);
        Assert.Null(cancelled.NextFireAt);
    }

    [Fact]
    public async Task Cancel_of_a_delivered_event_answers_cancelled_and_keeps_it_delivered()
    {
        var id = Events.NewId();
        await Grain(id).Create(Events.Webhook(fixture.Receiver.Url($"/settled/{id}"), TimeSpan.FromSeconds(0.5)));
        var delivered = await WaitForStatusAsync(id, EventStatus.Delivered);

        Assert.Equal(CancelOutcome.Cancelled, await Grain(id).Cancel());

        var after = await Grain(id).Get();
        Assert.Equal(EventStatus.Delivered, after!.Status);
        Assert.Equal(delivered.UpdatedAt, after.UpdatedAt);
        Assert.Null(after.NextFireAt);
    }

    [Fact]
    public async Task Cancel_of_unknown_event_is_not_found()
    {
        Assert.Equal(CancelOutcome.NotFound, await Grain(Events.NewId()).Cancel());
        Assert.Null(await Grain(Events.NewId()).Get());
    }

    [Fact]
    public async Task Timer_and_racing_bucket_wakes_fire_once()
    {
        var id = Events.NewId();
        var path = $"/race/{id}";
        var created = await Grain(id).Create(Events.Webhook(fixture.Receiver.Url(path), TimeSpan.FromMilliseconds(600)));
        var bucket = BucketId.For(id, created.NextFireAt!.Value, created.CreatedAt).ToString();

        // Wakes land before, at and after the due time while the timer fires too.
        var until = created.Spec.Schedule.FirstDueAt + TimeSpan.FromMilliseconds(400);
        while (DateTimeOffset.UtcNow < until)
        {
            await Grain(id).Wake(bucket);
            await Grain(id).Wake(bucket);
            await Task.Delay(20);
        }

        var delivered = await WaitForStatusAsync(id, EventStatus.Delivered);

        Assert.Equal(1, delivered.FireCount);
        var request = Assert.Single(fixture.Receiver.ReceivedOn(path));
        Assert.Equal($"{id}.1", request.Header("webhook-id"));
    }

    [Fact]
    public async Task Creating_the_same_id_twice_keeps_the_first_event()
    {
        var id = Events.NewId();
        var first = await Grain(id).Create(Events.Webhook(fixture.Receiver.Url("/first"), TimeSpan.FromHours(1)));
        var second = await Grain(id).Create(Events.Webhook(fixture.Receiver.Url("/second"), TimeSpan.FromHours(2)));

        Assert.Equal(first.Spec.Webhook!.Url, second.Spec.Webhook!.Url);
        Assert.Equal(first.NextFireAt, second.NextFireAt);
        await Grain(id).Cancel();
    }
}
