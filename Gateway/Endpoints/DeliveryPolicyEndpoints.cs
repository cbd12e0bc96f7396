using Eventd.Gateway.Auth;
using Eventd.Gateway.Hosting;
using Eventd.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eventd.Gateway.Endpoints;

/// <summary>Dead letters and redelivery (API.md section 2).</summary>
public static class DeliveryPolicyEndpoints
{
    public static IEndpointRouteBuilder MapDeliveryPolicy(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/eventd/v1").WithTags("Delivery");

        v1.MapGet("/deadletters", DeadLetters).WithName("ListDeadLetters").WithSummary("Fires whose attempts were exhausted, newest first");
        v1.MapPost("/events/{id}/redeliver", Redeliver).WithName("RedeliverEvent").WithSummary("Send the last fire again with a fresh retry budget");
        return app;
    }

    public sealed record Services(ClusterConnection Cluster);

    public sealed record DeadLetterJson(string Id, int Seq, string Url, int Attempts, string? LastError, DateTime FailedAt);

    public sealed record DeadLetterPage(bool Ok, IReadOnlyList<DeadLetterJson> Items, long Total, int Page, int PageSize, int TotalPages);

    private static async Task<Results<Ok<DeadLetterPage>, JsonHttpResult<ErrorEnvelope>>> DeadLetters(HttpRequest request, [AsParameters] Services services)
    {
        var (query, error) = EventListQuery.Parse(request.Query);
        if (query is null || query.Filters)
        {
            return TypedResults.Json(ErrorEnvelope.Of(error ?? "status: not a filter of dead letters"), statusCode: StatusCodes.Status400BadRequest);
        }

        var (project, status, projectError) = ListedProject.OrEvery(request.HttpContext);
        if (project is null)
        {
            return TypedResults.Json(ErrorEnvelope.Of(projectError!), statusCode: status);
        }

        var page = await services.Cluster.Client.GetGrain<IDeadLetterListGrain>(0).Page(project, query.Page, query.PageSize);
        var items = page.Items.Select(d => new DeadLetterJson(d.Id, d.Seq, d.Url, d.Attempts, d.LastError, d.FailedAt.UtcDateTime)).ToList();
        return TypedResults.Ok(new DeadLetterPage(true, items, page.Total, query.Page, query.PageSize, new PageQuery(query.Page, query.PageSize).TotalPages(page.Total)));
    }

    private static async Task<Results<Accepted<AckEnvelope>, JsonHttpResult<ErrorEnvelope>>> Redeliver(string id, HttpContext context, [AsParameters] Services services)
    {
        // An id that cannot be an event's is unknown, before any grain is named by it (a blank one cannot be).
        var grain = EventdV1Rules.EventId().IsMatch(id) ? services.Cluster.Client.GetGrain<IScheduledEventGrain>(id) : null;
        var refused = grain is null ? EventAccess.Refusal.NotFound : await EventAccess.CheckAsync(grain, Caller.Of(context));
        if (refused == EventAccess.Refusal.OtherProject)
        {
            return EventdV1Endpoints.OtherProject(id);
        }

        var outcome = refused is null ? await grain!.Redeliver() : RedeliverOutcome.NotFound;
        return outcome switch
        {
            RedeliverOutcome.Redelivering => TypedResults.Accepted($"/eventd/v1/events/{id}", new AckEnvelope(id, true, null)),
            RedeliverOutcome.NothingToRedeliver => Error(StatusCodes.Status409Conflict, $"id: event {id} has no webhook fire to send again", id),
            RedeliverOutcome.AlreadyDelivering => Error(StatusCodes.Status409Conflict, $"id: event {id} is still delivering its last fire", id),
            _ => Error(StatusCodes.Status404NotFound, $"id: no event {id}", id),
        };
    }

    private static JsonHttpResult<ErrorEnvelope> Error(int status, string error, string id) =>
        TypedResults.Json(ErrorEnvelope.Of(error, id), statusCode: status);
}
