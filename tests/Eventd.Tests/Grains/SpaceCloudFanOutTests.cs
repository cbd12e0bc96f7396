using System.Text.Json;
using Eventd.Gateway.Hosting;
using Eventd.Gateway.Intake;
using Eventd.Gateway.SpaceCloud;
using Eventd.Grains.Interfaces;
using Eventd.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Eventd.Tests.Grains;

/// <summary>
/// A Space Cloud queue (and the event log's emit, which queues through it) run twice under one queued id,
/// as a re-run under the same <c>Idempotency-Key</c> does: the gateway's queuing over the real grains.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SpaceCloudFanOutTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private QueuedEvents Store => new(() => fixture.Cluster.Client);

    // The trigger lookup is not used: each test hands the matching triggers in, so the connection is never started.
    private EventQueuing Queuing => new(
        new ClusterConnection(fixture.Cluster.Client, NullLogger<ClusterConnection>.Instance),
        Store,
        new CreateBatcher(events => fixture.Cluster.Client.GetGrain<IEventIntakeGrain>(0).CreateMany(events)),
        new ClusterIdentity());

    [Fact]
    public async Task A_queue_run_again_with_its_id_creates_nothing_new_records_the_same_event_and_delivers_once()
    {
        var project = $"p{Guid.NewGuid():N}";
        var run = Guid.NewGuid().ToString("N");
        SpaceCloudTrigger[] triggers = [Trigger("mailer", run), Trigger("audit", run)];
        var id = Events.NewId();

        var firstAt = DateTimeOffset.UtcNow;
        await QueueAsync(project, id, triggers, firstAt);
        var first = await Store.GetAsync(project, id);
        var rerunAt = firstAt.AddSeconds(6);
        await QueueAsync(project, id, triggers, rerunAt);
        var rerun = await Store.GetAsync(project, id);

        Assert.NotNull(first);
        Assert.Equal(first.Deliveries, rerun!.Deliveries);
        Assert.Equal(triggers.Select(t => TriggerDeliveryIds.Of(id, t.Id)), rerun.Deliveries.Select(d => d.EventId));
        await QueueAsync(project, Events.NewId(), triggers, rerunAt);
        foreach (var trigger in triggers)
        {
            var eventId = TriggerDeliveryIds.Of(id, trigger.Id);
            await Poll.UntilAsync(() => fixture.Cluster.Client.GetGrain<IScheduledEventGrain>(eventId).Get(), e => e?.Status == EventStatus.Delivered, Deadline, $"{trigger.Id}'s delivery");

            // The control queued after the re-run reaches each trigger too: once it has, a second delivery would have come.
            await Poll.UntilAsync(() => fixture.Receiver.ReceivedOn(Path(run, trigger.Id)).Count >= 2, Deadline, $"{trigger.Id}'s control delivery");
            var received = fixture.Receiver.ReceivedOn(Path(run, trigger.Id));
            var ours = Assert.Single(received, r => r.Header("webhook-id") == $"{eventId}.1");
            Assert.Equal(2, received.Count);
            var cloudEvent = JsonDocument.Parse(ours.Body).RootElement;
            Assert.Equal((id, firstAt.UtcDateTime), (cloudEvent.GetProperty("id").GetString(), cloudEvent.GetProperty("time").GetDateTime().ToUniversalTime()));
        }
    }

    private Task QueueAsync(string project, string id, IReadOnlyList<SpaceCloudTrigger> triggers, DateTimeOffset now)
    {
        var queued = new QueueRequest("sent-email", 0, null, now, """{"to":"a@b.c"}""", IsSynchronous: false);
        return Queuing.FanOutAsync(project, id, queued, triggers, Queuing.CloudEventFor(project, id, queued, now), now);
    }

    private SpaceCloudTrigger Trigger(string name, string run) => new(name, "sent-email", fixture.Receiver.Url(Path(run, name)), 3, 2000);

    private static string Path(string run, string trigger) => $"/spacecloud-rerun/{run}/{trigger}";
}
