using Eventd.Gateway.Hosting;
using Eventd.Gateway.Http;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Options;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Eventd.Gateway.Endpoints;

/// <summary>Eventd v1, the native API (API.md section 1).</summary>
public static class EventdV1Endpoints
{
    private const string DefaultProject = "default";

    public static IEndpointRouteBuilder MapEventdV1(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/eventd/v1").WithTags("Eventd v1");

        v1.MapPost("/events", Create).WithName("CreateEvent").WithSummary("Schedule an event");
        v1.MapGet("/events/{id}", Read).WithName("ReadEvent").WithSummary("Read an event");
        v1.MapDelete("/events/{id}", Cancel).WithName("CancelEvent").WithSummary("Cancel an event");
        v1.MapDelete("/cancel/{id}", Cancel).WithName("CancelEventByLink").WithSummary("Cancel an event (link form)");
        v1.MapPost("/cancel/{id}", Cancel).WithName("CancelEventByPost").WithSummary("Cancel an event (POST form)");
        return app;
    }

    public sealed record Services(ClusterConnection Cluster, IOptions<DeliveryOptions> Delivery, TimeProvider Time);

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

        var (spec, specError) = EventdV1Spec.ForCreate(fields, services.Delivery.Value, DefaultProject, services.Time.GetUtcNow());
        if (spec is null)
        {
            return Error(StatusCodes.Status400BadRequest, specError!);
        }

        var id = Guid.NewGuid().ToString("N");
        await services.Cluster.Client.GetGrain<IScheduledEventGrain>(id).Create(spec);
        return TypedResults.Created($"/eventd/v1/events/{id}", EventEnvelope.For(id));
    }

    private static async Task<Results<Ok<ReadEnvelope>, JsonHttpResult<ErrorEnvelope>>> Read(string id, [AsParameters] Services services)
    {
        var view = EventdV1Rules.EventId().IsMatch(id) ? await services.Cluster.Client.GetGrain<IScheduledEventGrain>(id).Get() : null;
        return view is null
            ? NotFound(id)
            : TypedResults.Ok(new ReadEnvelope(id, true, EventJson.From(view), null));
    }

    private static async Task<Results<Ok<CancelEnvelope>, JsonHttpResult<ErrorEnvelope>>> Cancel(string id, [AsParameters] Services services)
    {
        var outcome = EventdV1Rules.EventId().IsMatch(id)
            ? await services.Cluster.Client.GetGrain<IScheduledEventGrain>(id).Cancel()
            : CancelOutcome.NotFound;
        return outcome == CancelOutcome.NotFound
            ? NotFound(id)
            : TypedResults.Ok(new CancelEnvelope(id, true, null));
    }

    private static JsonHttpResult<ErrorEnvelope> NotFound(string id) =>
        Error(StatusCodes.Status404NotFound, $"id: no event {id}", id);

    private static JsonHttpResult<ErrorEnvelope> Error(int status, string error, string? id = null) =>
        TypedResults.Json(ErrorEnvelope.Of(error, id), statusCode: status);
}
