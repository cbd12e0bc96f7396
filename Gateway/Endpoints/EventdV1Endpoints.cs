using Eventd.Gateway.Auth;
using Eventd.Gateway.Hosting;
using Eventd.Gateway.Http;
using Eventd.Gateway.Intake;
using Eventd.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eventd.Gateway.Endpoints;

/// <summary>Eventd v1, the native API (API.md section 1).</summary>
public static class EventdV1Endpoints
{
    public static IEndpointRouteBuilder MapEventdV1(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/eventd/v1").WithTags("Eventd v1");

        v1.MapPost("/events", Create).WithName("CreateEvent").WithSummary("Schedule an event").DocumentsBody<RouteHandlerBuilder, CreateEventBody>().WithIdempotencyByIdentity().Refuses<ErrorEnvelope>(400);
        v1.MapGet("/events", List).WithName("ListEvents").WithSummary("List events, newest first").Refuses<ErrorEnvelope>(400);
        v1.MapGet("/events/{id}", Read).WithName("ReadEvent").WithSummary("Read an event").Refuses<ErrorEnvelope>(404);
        v1.MapGet("/events/{id}/deliveries", Deliveries).WithName("ListDeliveries").WithSummary("Every attempt of every fire").Refuses<ErrorEnvelope>(404);
        v1.MapPatch("/event/{id}", Update).WithName("UpdateEvent").WithSummary("Update an event").DocumentsBody<RouteHandlerBuilder, CreateEventBody>().Refuses<ErrorEnvelope>(400, 404, 409);
        v1.MapPatch("/events/{id}", Update).WithName("UpdateEventAtEvents").WithSummary("Update an event").DocumentsBody<RouteHandlerBuilder, CreateEventBody>().Refuses<ErrorEnvelope>(400, 404, 409);
        v1.MapMethods("/update/{id}", ["PATCH", "POST"], Update).WithName("UpdateEventByLink").WithSummary("Update an event (link form)").DocumentsBody<RouteHandlerBuilder, CreateEventBody>().Refuses<ErrorEnvelope>(400, 404, 409);
        v1.MapDelete("/events/{id}", Cancel).WithName("CancelEvent").WithSummary("Cancel an event").Refuses<ErrorEnvelope>(404);
        v1.MapDelete("/cancel/{id}", Cancel).WithName("CancelEventByLink").WithSummary("Cancel an event (link form)").Refuses<ErrorEnvelope>(404);
        v1.MapPost("/cancel/{id}", Cancel).WithName("CancelEventByPost").WithSummary("Cancel an event (POST form)").Refuses<ErrorEnvelope>(404);
        return app;
    }

    public sealed record Services(
        ClusterConnection Cluster,
        CreateBatcher Intake);

    private static async Task<Results<Created<EventEnvelope>, JsonHttpResult<ErrorEnvelope>>> Create(HttpRequest request, [AsParameters] Services services)
    {
        var body = await JsonBody.ReadObjectAsync(request);
        if (!body.IsValid)
        {
            return Error(body.Status, body.Error!);
        }

        var (fields, fieldError) = EventdV1Fields.Parse(body.Root);
        if (fields is null)
        {
            return Error(StatusCodes.Status400BadRequest, fieldError!);
        }

        // The rules that span fields are checked by the intake, which answers a broken one instead of storing.
        var id = IdempotentIdentity.IdFor(request.HttpContext, services.Intake.NewId);
        var refused = await services.Intake.CreateFromFieldsAsync(id, Caller.Of(request.HttpContext).Project, fields);
        return refused is null
            ? TypedResults.Created($"/eventd/v1/events/{id}", EventEnvelope.For(id))
            : Error(StatusCodes.Status400BadRequest, refused);
    }

    private static async Task<Results<Ok<EventListEnvelope>, JsonHttpResult<ErrorEnvelope>>> List(HttpRequest request, [AsParameters] Services services)
    {
        var (query, error) = EventListQuery.Parse(request.Query);
        if (query is null)
        {
            return Error(StatusCodes.Status400BadRequest, error!);
        }

        var (project, status, projectError) = ListedProject.OrEvery(request.HttpContext);
        if (project is null)
        {
            return Error(status, projectError!);
        }

        return TypedResults.Ok(await EventList.ReadAsync(services.Cluster.Client, project, query));
    }

    private static async Task<Results<Ok<ReadEnvelope>, JsonHttpResult<ErrorEnvelope>>> Read(string id, HttpContext context, [AsParameters] Services services)
    {
        var view = EventdV1Rules.EventId().IsMatch(id) ? await services.Cluster.Client.GetGrain<IScheduledEventGrain>(id).Get() : null;
        return view is null ? NotFound(id)
            : !Caller.Of(context).Reaches(view.Spec.Project) ? OtherProject(id)
            : TypedResults.Ok(new ReadEnvelope(id, true, EventJson.From(view), null));
    }

    private static async Task<Results<Ok<DeliveriesEnvelope>, JsonHttpResult<ErrorEnvelope>>> Deliveries(string id, HttpContext context, [AsParameters] Services services)
    {
        var view = EventdV1Rules.EventId().IsMatch(id) ? await services.Cluster.Client.GetGrain<IScheduledEventGrain>(id).Get() : null;
        if (view is null)
        {
            return NotFound(id);
        }

        if (!Caller.Of(context).Reaches(view.Spec.Project))
        {
            return OtherProject(id);
        }

        // Each fire's attempts to each target live in their own delivery grain; channel-only events have none.
        IEnumerable<string> targets = view.Spec.Targets?.Select(t => t.Name) ?? (view.Spec.Webhook is null ? [] : [DeliveryKeys.Webhook]);
        var deliveries = Enumerable.Range(1, view.FireCount).SelectMany(seq => targets.Select(target => DeliveryKeys.For(id, seq, target)));
        var attempts = await Task.WhenAll(deliveries.Select(key => services.Cluster.Client.GetGrain<IWebhookDeliveryGrain>(key).GetAttempts()));
        return TypedResults.Ok(new DeliveriesEnvelope(id, true, attempts.SelectMany(a => a).Select(AttemptJson.From).ToList()));
    }

    private static async Task<Results<Ok<EventEnvelope>, JsonHttpResult<ErrorEnvelope>>> Update(string id, HttpRequest request, [AsParameters] Services services)
    {
        if (!EventdV1Rules.EventId().IsMatch(id))
        {
            return NotFound(id);
        }

        var body = await JsonBody.ReadObjectAsync(request);
        if (!body.IsValid)
        {
            return Error(body.Status, body.Error!, id);
        }

        var (fields, fieldError) = EventdV1Fields.Parse(body.Root);
        if (fields is null)
        {
            return Error(StatusCodes.Status400BadRequest, fieldError!, id);
        }

        // One call: the grain merges the fields over its spec and checks the result in one turn.
        var caller = Caller.Of(request.HttpContext);
        var grain = services.Cluster.Client.GetGrain<IScheduledEventGrain>(id);
        var result = await RejectedCalls.RetryAsync(() => grain.Update(fields, caller.ReachesAll ? null : caller.Project));
        return result.Outcome switch
        {
            UpdateOutcome.Updated => TypedResults.Ok(EventEnvelope.For(id)),
            UpdateOutcome.Invalid => Error(StatusCodes.Status400BadRequest, result.Error!, id),
            UpdateOutcome.Cancelled => Cancelled(id),
            UpdateOutcome.OtherProject => OtherProject(id),
            _ => NotFound(id),
        };
    }

    private static async Task<Results<Ok<AckEnvelope>, JsonHttpResult<ErrorEnvelope>>> Cancel(string id, HttpContext context, [AsParameters] Services services)
    {
        if (!EventdV1Rules.EventId().IsMatch(id))
        {
            return NotFound(id);
        }

        var grain = services.Cluster.Client.GetGrain<IScheduledEventGrain>(id);
        if (await EventAccess.CheckAsync(grain, Caller.Of(context)) is { } refused)
        {
            return refused == EventAccess.Refusal.NotFound ? NotFound(id) : OtherProject(id);
        }

        return await RejectedCalls.RetryAsync(grain.Cancel) == CancelOutcome.NotFound
            ? NotFound(id)
            : TypedResults.Ok(new AckEnvelope(id, true, null));
    }

    private static JsonHttpResult<ErrorEnvelope> Cancelled(string id) =>
        Error(StatusCodes.Status409Conflict, $"id: event {id} is cancelled", id);

    public static JsonHttpResult<ErrorEnvelope> OtherProject(string id) =>
        Error(StatusCodes.Status403Forbidden, $"id: event {id} belongs to another project than the key's", id);

    private static JsonHttpResult<ErrorEnvelope> NotFound(string id) =>
        Error(StatusCodes.Status404NotFound, $"id: no event {id}", id);

    private static JsonHttpResult<ErrorEnvelope> Error(int status, string error, string? id = null) =>
        TypedResults.Json(ErrorEnvelope.Of(error, id), statusCode: status);
}
