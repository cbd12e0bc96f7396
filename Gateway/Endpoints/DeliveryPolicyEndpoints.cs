using System.Text.Json;
using Eventd.Gateway.Auth;
using Eventd.Gateway.Hosting;
using Eventd.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace Eventd.Gateway.Endpoints;

/// <summary>Dead letters and redelivery (API.md section 2).</summary>
public static class DeliveryPolicyEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapDeliveryPolicy(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/eventd/v1").WithTags("Delivery");

        v1.MapGet("/deadletters", DeadLetters).WithName("ListDeadLetters").WithSummary("Fires whose attempts were exhausted, newest first");
        v1.MapPost("/events/{id}/redeliver", Redeliver).WithName("RedeliverEvent").WithSummary("Send the last fire again with a fresh retry budget");
        return app;
    }

    public sealed record Services(ClusterConnection Cluster, IConnectionMultiplexer Redis, ClusterIdentity Identity);

    public sealed record DeadLetterJson(string Id, int Seq, string Url, int Attempts, string? LastError, DateTime FailedAt);

    public sealed record DeadLetterPage(bool Ok, IReadOnlyList<DeadLetterJson> Items, long Total, int Page, int PageSize, int TotalPages);

    private static async Task<Results<Ok<DeadLetterPage>, JsonHttpResult<ErrorEnvelope>>> DeadLetters(HttpRequest request, [AsParameters] Services services)
    {
        var (query, error) = EventListQuery.Parse(request.Query);
        if (query is null || query.Filters)
        {
            return TypedResults.Json(ErrorEnvelope.Of(error ?? "status: not a filter of dead letters"), statusCode: StatusCodes.Status400BadRequest);
        }

        var serviceId = services.Identity.ServiceId;
        var (project, status, projectError) = ListedProject.OrEvery(request.HttpContext);
        if (project is null)
        {
            return TypedResults.Json(ErrorEnvelope.Of(projectError!), statusCode: status);
        }

        var db = services.Redis.GetDatabase();
        var indexes = DeadLetterKeys.Listing(serviceId, project);
        var byTime = new NewestFirstIndex(db, [.. indexes.Select(keys => (RedisKey)keys.ByTime)]);
        var total = await byTime.CountAsync();
        var members = await byTime.RangeAsync((long)(query.Page - 1) * query.PageSize, query.PageSize);
        var items = (await EntriesAsync(db, indexes, members))
            .Where(e => e.HasValue)
            .Select(e => JsonSerializer.Deserialize<DeadLetter>(e.ToString(), Json)!)
            .Select(d => new DeadLetterJson(d.Id, d.Seq, d.Url, d.Attempts, d.LastError, d.FailedAt.UtcDateTime))
            .ToList();
        return TypedResults.Ok(new DeadLetterPage(true, items, total, query.Page, query.PageSize, new PageQuery(query.Page, query.PageSize).TotalPages(total)));
    }

    /// <summary>The entries of <paramref name="members"/>, in their order: one <c>HMGET</c> per index they are in.</summary>
    private static async Task<RedisValue[]> EntriesAsync(IDatabase db, DeadLetterKeys[] indexes, IReadOnlyList<IndexedMember> members)
    {
        var entries = new RedisValue[members.Count];
        var positionsBySource = Enumerable.Range(0, members.Count).GroupBy(position => members[position].Source);
        await Task.WhenAll(positionsBySource.Select(async positions =>
        {
            var read = await db.HashGetAsync(indexes[positions.Key].Entries, [.. positions.Select(position => members[position].Member)]);
            foreach (var (position, entry) in positions.Zip(read))
            {
                entries[position] = entry;
            }
        }));
        return entries;
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
