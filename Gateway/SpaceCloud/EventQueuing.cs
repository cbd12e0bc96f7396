using Eventd.Gateway.Hosting;
using Eventd.Gateway.Intake;
using Eventd.Grains.Interfaces;

namespace Eventd.Gateway.SpaceCloud;

/// <summary>
/// Queues a Space Cloud event for a project's triggers of its type: one Eventd event, due at the
/// event's time, with one target per trigger (each its own delivery, retries and timeout), POSTing the
/// same CloudEvents body and id. The queue routes and the event log's <c>/emit</c> both come through here.
/// </summary>
public sealed class EventQueuing(ClusterConnection cluster, CreateBatcher intake, ClusterIdentity identity)
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
    /// Creates the event <paramref name="id"/> with a target per trigger. Run again with the same id (a re-run
    /// under its <c>Idempotency-Key</c>) it creates nothing new: creating an id twice keeps the first.
    /// </summary>
    public Task FanOutAsync(string project, string id, QueueRequest queued, IReadOnlyList<SpaceCloudTrigger> matching, string cloudEvent, DateTimeOffset now) =>
        intake.CreateAsync(id, SpecFor(project, queued, matching, cloudEvent));

    /// <summary>
    /// Records a synchronous queue's one attempt, already made, to its one trigger as the event <paramref name="id"/>
    /// (fired once, with that attempt's outcome), so it reads back like any queued event.
    /// </summary>
    public Task RecordSentAsync(string project, string id, QueueRequest queued, SpaceCloudTrigger trigger, string cloudEvent, DeliveryResult result) =>
        RejectedCalls.RetryAsync(() => cluster.Client.GetGrain<IScheduledEventGrain>(id).CreateFired(SpecFor(project, queued, [trigger], cloudEvent), trigger.Id, result));

    public static WebhookTarget TargetOf(SpaceCloudTrigger trigger) =>
        new() { Url = trigger.Url, Method = "POST", Retries = trigger.Retries, TimeoutMs = trigger.Timeout, FlowControl = trigger.FlowControl };

    /// <summary>The one event a queue makes: due at the queued time, a target per trigger, the CloudEvent as its body.</summary>
    public static EventSpec SpecFor(string project, QueueRequest queued, IReadOnlyList<SpaceCloudTrigger> matching, string cloudEvent) => new()
    {
        Project = project,
        Schedule = new ScheduleSpec { DelaySeconds = queued.Delay, Timestamp = queued.Timestamp, FirstDueAt = queued.DueAt },
        // An array, not a collection expression: Orleans has a codec for arrays, none for the compiler's own list types.
        Targets = matching.Select(trigger => new NamedWebhook(trigger.Id, TargetOf(trigger))).ToArray(),
        Data = cloudEvent,
        Type = queued.Type,
    };
}
