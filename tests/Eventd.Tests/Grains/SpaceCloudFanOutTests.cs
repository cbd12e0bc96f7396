using System.Text.Json;
using Eventd.Gateway.Hosting;
using Eventd.Gateway.Intake;
using Eventd.Gateway.SpaceCloud;
using Eventd.Grains.Interfaces;
using Eventd.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Eventd.Tests.Grains;

/// <summary>
/// A Space Cloud queue (and the event log's emit, which queues through it) is one event with a target per
/// trigger: the gateway's queuing over the real grains, with each trigger's delivery its own.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SpaceCloudFanOutTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    // The trigger lookup is not used: each test hands the matching triggers in, so the connection is never started.
    private EventQueuing Queuing => new(
        new ClusterConnection(fixture.Cluster.Client, NullLogger<ClusterConnection>.Instance),
        new CreateBatcher(events => fixture.Cluster.Client.GetGrain<IEventIntakeGrain>(0).CreateMany(events)),
        new ClusterIdentity());

    [Fact]
    public async Task A_queue_run_again_with_its_id_creates_nothing_new_and_delivers_to_each_trigger_once()
    {
        var project = $"p{Guid.NewGuid():N}";
        var run = Guid.NewGuid().ToString("N");
        SpaceCloudTrigger[] triggers = [Trigger("mailer", run), Trigger("audit", run)];
        var id = Events.NewId();

        var firstAt = DateTimeOffset.UtcNow;
        await QueueAsync(project, id, triggers, firstAt);
        var rerunAt = firstAt.AddSeconds(6);
        await QueueAsync(project, id, triggers, rerunAt);
        await QueueAsync(project, Events.NewId(), triggers, rerunAt);

        var view = await Poll.UntilAsync(() => Event(id).Get(), e => e?.Status == EventStatus.Delivered, Deadline, "the queued event's deliveries");
        Assert.Equal((project, 1), (view!.Spec.Project, view.FireCount));
        Assert.Equal(["audit", "mailer"], view.TargetResults.Keys.Order());
        Assert.All(view.TargetResults.Values, r => Assert.True(r.Succeeded));
        foreach (var trigger in triggers)
        {
            // The control queued after the re-run reaches each trigger too: once it has, a second delivery would have come.
            await Poll.UntilAsync(() => fixture.Receiver.ReceivedOn(Path(run, trigger.Id)).Count >= 2, Deadline, $"{trigger.Id}'s control delivery");
            var received = fixture.Receiver.ReceivedOn(Path(run, trigger.Id));
            var ours = Assert.Single(received, r => r.Header("webhook-id") == $"{id}.1");
            Assert.Equal(2, received.Count);
            var cloudEvent = JsonDocument.Parse(ours.Body).RootElement;
            Assert.Equal((id, firstAt.UtcDateTime), (cloudEvent.GetProperty("id").GetString(), cloudEvent.GetProperty("time").GetDateTime().ToUniversalTime()));
        }
    }

    [Fact]
    public async Task A_fan_out_settles_once_every_target_reported_and_a_redelivery_sends_only_the_failed_target_again()
    {
        var project = $"p{Guid.NewGuid():N}";
        var run = Guid.NewGuid().ToString("N");
        var down = new SpaceCloudTrigger("down", "sent-email", $"http://127.0.0.1:{FreePort.Next()}/closed", Retries: 0, Timeout: 2000);
        SpaceCloudTrigger[] triggers = [Trigger("mailer", run), down];
        var id = Events.NewId();

        await QueueAsync(project, id, triggers, DateTimeOffset.UtcNow);
        var failed = await Poll.UntilAsync(() => Event(id).Get(), e => e?.Status == EventStatus.Failed, Deadline, "the fan-out to settle");

        Assert.True(failed!.TargetResults["mailer"].Succeeded);
        Assert.False(failed.TargetResults["down"].Succeeded);
        Assert.Equal(failed.TargetResults["down"], failed.LastDelivery);

        Assert.Equal(RedeliverOutcome.Redelivering, await Event(id).Redeliver());
        await Poll.UntilAsync(() => Attempts(id, "down"), a => a.Count == 2, Deadline, "the failed target's second attempt");
        var again = await Poll.UntilAsync(() => Event(id).Get(), e => e?.Status == EventStatus.Failed, Deadline, "the redelivery to settle");

        Assert.Single(await Attempts(id, "mailer"));
        Assert.Single(fixture.Receiver.ReceivedOn(Path(run, "mailer")));
        Assert.True(again!.TargetResults["down"].At > failed.TargetResults["down"].At);
        Assert.Equal(failed.TargetResults["mailer"], again.TargetResults["mailer"]);
    }

    [Fact]
    public async Task A_hand_off_rejected_for_one_target_is_retried_and_each_target_is_delivered_once()
    {
        var project = $"p{Guid.NewGuid():N}";
        var run = Guid.NewGuid().ToString("N");
        SpaceCloudTrigger[] triggers = [Trigger("mailer", run), Trigger("audit", run)];
        var id = Events.NewId();
        HandOffFaults.Reject(id, seq: 1, times: 2, target: "audit");

        await QueueAsync(project, id, triggers, DateTimeOffset.UtcNow);
        await Poll.UntilAsync(() => Event(id).Get(), e => e?.Status == EventStatus.Delivered, Deadline, "both targets delivered");

        Assert.Equal(0, HandOffFaults.Remaining(id, 1, "audit"));
        Assert.All(triggers, trigger => Assert.Single(fixture.Receiver.ReceivedOn(Path(run, trigger.Id))));
    }

    [Fact]
    public async Task A_synchronous_queue_is_recorded_as_fired_once_and_recording_it_again_keeps_the_first()
    {
        var project = $"p{Guid.NewGuid():N}";
        var trigger = Trigger("mailer", Guid.NewGuid().ToString("N"));
        var id = Events.NewId();
        var now = DateTimeOffset.UtcNow;
        var queued = new QueueRequest("sent-email", 0, null, now, """{"to":"a@b.c"}""", IsSynchronous: true);
        var answered = new DeliveryResult { Succeeded = false, Attempts = 1, StatusCode = 502, At = now, Seq = 1 };

        var spec = EventQueuing.SpecFor(project, queued, [trigger], Queuing.CloudEventFor(project, id, queued, now));

        await Event(id).CreateFired(spec, trigger.Id, answered);
        await Event(id).CreateFired(spec, trigger.Id, answered with { Succeeded = true, StatusCode = 200 });
        var view = await Event(id).Get();

        Assert.Equal((EventStatus.Failed, 1, (DateTimeOffset?)null), (view!.Status, view.FireCount, view.NextFireAt));
        Assert.Equal(answered, view.TargetResults["mailer"]);
        Assert.Equal("sent-email", view.Spec.Type);
    }

    private IScheduledEventGrain Event(string id) => fixture.Cluster.Client.GetGrain<IScheduledEventGrain>(id);

    private Task<IReadOnlyList<DeliveryAttempt>> Attempts(string id, string target) =>
        fixture.Cluster.Client.GetGrain<IWebhookDeliveryGrain>(DeliveryKeys.For(id, 1, target)).GetAttempts();

    private Task QueueAsync(string project, string id, IReadOnlyList<SpaceCloudTrigger> triggers, DateTimeOffset now)
    {
        var queued = new QueueRequest("sent-email", 0, null, now, """{"to":"a@b.c"}""", IsSynchronous: false);
        return Queuing.FanOutAsync(project, id, queued, triggers, Queuing.CloudEventFor(project, id, queued, now), now);
    }

    private SpaceCloudTrigger Trigger(string name, string run) => new(name, "sent-email", fixture.Receiver.Url(Path(run, name)), 3, 2000);

    private static string Path(string run, string trigger) => $"/spacecloud-rerun/{run}/{trigger}";
}
