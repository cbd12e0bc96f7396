using Eventd.Gateway.Hosting;
using Eventd.Gateway.Http;
using Eventd.Gateway.SpaceCloud;
using Eventd.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eventd.Gateway.Endpoints;

/// <summary>
/// Space Cloud eventing (API.md section 3). A queued event becomes one Eventd event, due at its time,
/// with a target per matching trigger, so each trigger's delivery follows the delivery policy (retries,
/// signature, dead letters, attempts listed) and carries the same CloudEvent body and id on every retry.
/// A synchronous one makes a single attempt from a silo, answers with the receiver's answer and is
/// recorded as an event fired once.
/// </summary>
public static class SpaceCloudEndpoints
{
    public const string ConfigPrefix = "/v1/config/projects";
    public const string ApiPrefix = "/v1/api";

    public static IEndpointRouteBuilder MapSpaceCloud(this IEndpointRouteBuilder app)
    {
        var triggers = app.MapGroup(ConfigPrefix + "/{project}/eventing/triggers").WithTags("Space Cloud eventing");
        triggers.MapPost("/{name}", SetTrigger).WithName("SetSpaceCloudTrigger").WithSummary("Create or replace a trigger");
        triggers.MapGet("", ListTriggers).WithName("ListSpaceCloudTriggers").WithSummary("List the project's triggers");
        triggers.MapDelete("/{name}", DeleteTrigger).WithName("DeleteSpaceCloudTrigger").WithSummary("Remove a trigger");

        var api = app.MapGroup(ApiPrefix + "/{project}").WithTags("Space Cloud eventing");
        api.MapPost("/eventing/queue", Queue).WithName("QueueSpaceCloudEvent").WithSummary("Queue an event for the project's triggers of its type").WithIdempotencyByIdentity();
        api.MapPost("/event-triggers/queue", Queue).WithName("QueueSpaceCloudEventAlias").WithSummary("Queue an event (the event-triggers alias)").WithIdempotencyByIdentity();
        api.MapGet("/eventing/events/{id}", GetEvent).WithName("GetSpaceCloudEvent").WithSummary("A queued event and its delivery to each trigger");
        return app;
    }

    public sealed record Services(EventQueuing Queue, ClusterConnection Cluster, TimeProvider Time);


    public sealed record OkEnvelope(bool Ok);

    public sealed record TriggerListEnvelope(IReadOnlyList<SpaceCloudTrigger> Result);

    public sealed record QueuedEnvelope(string Id);

    public sealed record DeliveryJson(string Trigger, string Status, int Attempts, int? StatusCode);

    public sealed record QueuedEventJson(string Id, string Type, string Status, IReadOnlyList<DeliveryJson> Deliveries);

    private static async Task<Results<Ok<OkEnvelope>, JsonHttpResult<ErrorMessage>>> SetTrigger(string project, string name, HttpRequest request, [AsParameters] Services services)
    {
        if (SpaceCloudRequests.CheckName(project) is { } projectError)
        {
            return Error(StatusCodes.Status400BadRequest, $"project: {projectError}");
        }

        var body = await JsonBody.ReadObjectAsync(request);
        if (!body.IsValid)
        {
            return Error(body.Status, body.Error!);
        }

        var (trigger, error) = SpaceCloudRequests.ParseTrigger(name, body.Root);
        if (trigger is null)
        {
            return Error(StatusCodes.Status400BadRequest, error!);
        }

        await RejectedCalls.RetryAsync(() => Registry(project, services).Set(trigger));
        return TypedResults.Ok(new OkEnvelope(true));
    }

    private static async Task<Results<Ok<TriggerListEnvelope>, JsonHttpResult<ErrorMessage>>> ListTriggers(string project, [AsParameters] Services services) =>
        SpaceCloudRequests.CheckName(project) is { } projectError
            ? Error(StatusCodes.Status400BadRequest, $"project: {projectError}")
            : TypedResults.Ok(new TriggerListEnvelope(await RejectedCalls.RetryAsync(Registry(project, services).List)));

    private static async Task<Results<Ok<OkEnvelope>, JsonHttpResult<ErrorMessage>>> DeleteTrigger(string project, string name, [AsParameters] Services services) =>
        SpaceCloudRequests.CheckName(project) is null && await RejectedCalls.RetryAsync(() => Registry(project, services).Delete(name))
            ? TypedResults.Ok(new OkEnvelope(true))
            : Error(StatusCodes.Status404NotFound, $"name: no trigger '{name}' in project '{project}'");

    private static async Task<Results<Ok<QueuedEnvelope>, RelayedAnswer, JsonHttpResult<ErrorMessage>>> Queue(string project, HttpRequest request, [AsParameters] Services services)
    {
        if (SpaceCloudRequests.CheckName(project) is { } projectError)
        {
            return Error(StatusCodes.Status400BadRequest, $"project: {projectError}");
        }

        var body = await JsonBody.ReadObjectAsync(request);
        if (!body.IsValid)
        {
            return Error(body.Status, body.Error!);
        }

        var now = services.Time.GetUtcNow();
        var (queued, error) = SpaceCloudRequests.ParseQueue(body.Root, now);
        if (queued is null)
        {
            return Error(StatusCodes.Status400BadRequest, error!);
        }

        var matching = await services.Queue.MatchingAsync(project, queued.Type);
        if (queued.IsSynchronous && SpaceCloudRequests.CheckSynchronous(queued, matching.Count, now) is { } syncError)
        {
            return Error(StatusCodes.Status400BadRequest, syncError);
        }

        // By identity: a re-run under the same key queues the same event, whose deliveries' ids derive from it.
        var id = IdempotentIdentity.IdFor(request.HttpContext);
        var cloudEvent = services.Queue.CloudEventFor(project, id, queued, now);
        if (!queued.IsSynchronous)
        {
            await services.Queue.FanOutAsync(project, id, queued, matching, cloudEvent, now);
            return TypedResults.Ok(new QueuedEnvelope(id));
        }

        return await SendNowAsync(project, id, queued, matching[0], cloudEvent, now, services);
    }

    private static async Task<Results<Ok<QueuedEnvelope>, RelayedAnswer, JsonHttpResult<ErrorMessage>>> SendNowAsync(
        string project, string id, QueueRequest queued, SpaceCloudTrigger trigger, string cloudEvent, DateTimeOffset now, Services services)
    {
        var request = new WebhookRequest { EventId = id, Seq = 1, Target = trigger.Id, Webhook = EventQueuing.TargetOf(trigger), Body = cloudEvent, Project = project, TraceParent = TraceParents.OfCurrentActivity() };
        var answer = await services.Cluster.Client.GetGrain<ISyncWebhookGrain>(0).Send(request);
        var result = new DeliveryResult
        {
            Succeeded = answer.StatusCode is >= 200 and < 300,
            Attempts = 1,
            StatusCode = answer.StatusCode,
            Error = answer.Error,
            At = services.Time.GetUtcNow(),
            Seq = 1,
        };
        await services.Queue.RecordSentAsync(project, id, queued, trigger, cloudEvent, result);
        return answer.StatusCode is null
            ? Error(StatusCodes.Status502BadGateway, $"url: {answer.Error}")
            : new RelayedAnswer(answer);
    }

    private static async Task<Results<Ok<QueuedEventJson>, JsonHttpResult<ErrorMessage>>> GetEvent(string project, string id, [AsParameters] Services services)
    {
        var view = SpaceCloudRequests.CheckName(project) is null && EventdV1Rules.EventId().IsMatch(id)
            ? await RejectedCalls.RetryAsync(services.Cluster.Client.GetGrain<IScheduledEventGrain>(id).Get)
            : null;
        if (view is not { Spec.Targets: { } targets, Spec.Type: { } type } || view.Spec.Project != project)
        {
            return Error(StatusCodes.Status404NotFound, $"id: no event '{id}' in project '{project}'");
        }

        var deliveries = targets.Select(target => QueuedDeliveryView.Of(view, target.Name)).ToList();
        return TypedResults.Ok(new QueuedEventJson(view.Id, type, QueuedEventStatus.Of([.. deliveries.Select(d => d.Status)]), deliveries));
    }

    private static ITriggerRegistryGrain Registry(string project, Services services) =>
        services.Cluster.Client.GetGrain<ITriggerRegistryGrain>(project);

    private static JsonHttpResult<ErrorMessage> Error(int status, string error) =>
        TypedResults.Json(new ErrorMessage(error), statusCode: status);
}
