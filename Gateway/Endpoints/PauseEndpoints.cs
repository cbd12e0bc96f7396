using Eventd.Gateway.Auth;
using Eventd.Gateway.Hosting;
using Eventd.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eventd.Gateway.Endpoints;

/// <summary>Pause and resume of an Eventd v1 event (API.md "Pause and resume").</summary>
public static class PauseEndpoints
{
    public static IEndpointRouteBuilder MapPauseAndResume(this IEndpointRouteBuilder app)
    {
        var events = app.MapGroup("/eventd/v1/events").WithTags("Eventd v1");
        events.MapPost("/{id}/pause", Pause).WithName("PauseEvent").WithSummary("Hold an event: no fire starts until it is resumed");
        events.MapPost("/{id}/resume", Resume).WithName("ResumeEvent").WithSummary("Let a paused event fire again from its next slot");
        return app;
    }

    private static Task<Results<Ok<EventEnvelope>, JsonHttpResult<ErrorEnvelope>>> Pause(string id, HttpContext context, ClusterConnection cluster) =>
        ApplyAsync(id, context, cluster, grain => grain.Pause(), "pause");

    private static Task<Results<Ok<EventEnvelope>, JsonHttpResult<ErrorEnvelope>>> Resume(string id, HttpContext context, ClusterConnection cluster) =>
        ApplyAsync(id, context, cluster, grain => grain.Resume(), "resume");

    private static async Task<Results<Ok<EventEnvelope>, JsonHttpResult<ErrorEnvelope>>> ApplyAsync(
        string id, HttpContext context, ClusterConnection cluster, Func<IScheduledEventGrain, Task<PauseOutcome>> change, string verb)
    {
        if (!EventdV1Rules.EventId().IsMatch(id))
        {
            return NotFound(id);
        }

        var grain = cluster.Client.GetGrain<IScheduledEventGrain>(id);
        if (await EventAccess.CheckAsync(grain, Caller.Of(context)) is { } refused)
        {
            return refused == EventAccess.Refusal.NotFound ? NotFound(id) : EventdV1Endpoints.OtherProject(id);
        }

        return await RejectedCalls.RetryAsync(() => change(grain)) switch
        {
            PauseOutcome.Done => TypedResults.Ok(EventEnvelope.For(id)),
            PauseOutcome.Finished => Error(StatusCodes.Status409Conflict, $"id: event {id} is cancelled or has nothing left to fire; it cannot {verb}", id),
            _ => NotFound(id),
        };
    }

    private static JsonHttpResult<ErrorEnvelope> NotFound(string id) => Error(StatusCodes.Status404NotFound, $"id: no event {id}", id);

    private static JsonHttpResult<ErrorEnvelope> Error(int status, string error, string id) =>
        TypedResults.Json(ErrorEnvelope.Of(error, id), statusCode: status);
}
