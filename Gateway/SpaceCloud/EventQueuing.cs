using Eventd.Gateway.Hosting;
using Eventd.Gateway.Intake;
using Eventd.Grains.Interfaces;

namespace Eventd.Gateway.SpaceCloud;

/// <summary>
/// Queues a Space Cloud event for a project's triggers of its type: one Eventd event per trigger, due at
/// the event's time, each POSTing the same CloudEvents body and id under the delivery policy. The queue
/// routes and the event log's <c>/emit</c> both come through here.
/// </summary>
public sealed class EventQueuing(ClusterConnection cluster, QueuedEvents events, CreateBatcher intake, ClusterIdentity identity)
{
    /// <summary>Asked of the project's registry on every queue, never cached: a deleted trigger gets nothing more.</summary>
    public Task<IReadOnlyList<SpaceCloudTrigger>> MatchingAsync(string project, string type) =>
        RejectedCalls.RetryAsync(() => cluster.Client.GetGrain<ITriggerRegistryGrain>(project).Match(type));

    public string CloudEventFor(string project, string id, QueueRequest queued, DateTimeOffset now) =>
        CloudEventBody.For(id, queued.Type, $"{identity.ClusterId}/{project}", now, queued.Data);

    /// <summary>Queues <paramref name="queued"/> as the event <paramref name="id"/> for every trigger of its type.</summary>
    public async Task QueueAsync(string project, string id, QueueRequest queued, DateTimeOffset now) =>
        await FanOutAsync(project, id, queued, await MatchingAsync(project, queued.Type), CloudEventFor(project, id, queued, now), now);

    /// <summary>
    /// Creates one Eventd event per trigger, each under an id derived from <paramref name="id"/> and the trigger's
    /// name, then records the queued event: run again with the same id (a re-run under its <c>Idempotency-Key</c>)
    /// it creates nothing new (creating an id twice keeps the first) and records the same deliveries.
    /// </summary>
    public async Task FanOutAsync(string project, string id, QueueRequest queued, IReadOnlyList<SpaceCloudTrigger> matching, string cloudEvent, DateTimeOffset now)
    {
        var deliveries = matching.Select(t => new QueuedDelivery(t.Id, TriggerDeliveryIds.Of(id, t.Id))).ToList();
        await Task.WhenAll(matching.Zip(deliveries, (trigger, delivery) => intake.CreateAsync(delivery.EventId!, new EventSpec
        {
            Project = project,
            Schedule = new ScheduleSpec { DelaySeconds = queued.Delay, Timestamp = queued.Timestamp, FirstDueAt = queued.DueAt },
            Webhook = TargetOf(trigger),
            Data = cloudEvent,
            Type = queued.Type,
        })));

        // Recorded once every delivery exists, so reading it back never meets an event not yet created.
        await events.AddAsync(project, new QueuedEvent(id, queued.Type, now, deliveries));
    }

    public static WebhookTarget TargetOf(SpaceCloudTrigger trigger) =>
        new() { Url = trigger.Url, Method = "POST", Retries = trigger.Retries, TimeoutMs = trigger.Timeout };
}
