using Eventd.Gateway.Auth;
using Eventd.Gateway.Hosting;
using Eventd.Gateway.Overview;
using Eventd.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eventd.Gateway.Endpoints;

/// <summary>The console's overview (API.md "Operations"): the cluster's recent throughput and lateness, and a project's events at a glance.</summary>
public static class OverviewEndpoints
{
    /// <summary>The statuses an operator watches: the ones still to fire or to look at; delivered and cancelled only grow.</summary>
    private static readonly EventStatus[] CountedStatuses = [EventStatus.Scheduled, EventStatus.Paused, EventStatus.Delivering, EventStatus.Failed];

    private const int RecentCount = 10;

    public static IEndpointRouteBuilder MapOverview(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/eventd/v1").WithTags("Eventd v1");

        v1.MapGet("/overview", Read).WithName("ReadOverview").WithSummary("Recent throughput and lateness, events by status, dead letters, newest events").Refuses<ErrorEnvelope>(400);
        return app;
    }

    public sealed record Services(ClusterConnection Cluster, OverviewHistory History);

    /// <summary>
    /// <see cref="Series"/> is the whole cluster's (as <c>/metrics</c> shows it to anyone); the counts and
    /// <see cref="Recent"/> are <see cref="Project"/>'s.
    /// </summary>
    public sealed record OverviewEnvelope(
        bool Ok,
        string Project,
        int WindowSeconds,
        IReadOnlyList<OverviewPoint> Series,
        IReadOnlyDictionary<string, long> Statuses,
        long DeadLetters,
        IReadOnlyList<EventJson> Recent);

    private static async Task<Results<Ok<OverviewEnvelope>, JsonHttpResult<ErrorEnvelope>>> Read(HttpContext context, [AsParameters] Services services)
    {
        var (project, status, projectError) = ListedProject.OrEvery(context);
        if (project is null)
        {
            return TypedResults.Json(ErrorEnvelope.Of(projectError!), statusCode: status);
        }

        var grains = services.Cluster.Client;
        var events = grains.GetGrain<IEventListGrain>(0);
        var counts = Task.WhenAll(CountedStatuses.Select(counted => events.Count(project, counted)));
        var deadLetters = grains.GetGrain<IDeadLetterListGrain>(0).Count(project);
        var recent = EventList.ReadAsync(grains, project, new EventListQuery(null, null, 1, RecentCount));
        await Task.WhenAll(counts, deadLetters, recent);

        return TypedResults.Ok(new OverviewEnvelope(
            true,
            project,
            (int)OverviewHistory.Window.TotalSeconds,
            services.History.Points(),
            CountedStatuses.Zip(counts.Result).ToDictionary(pair => pair.First.ToString().ToLowerInvariant(), pair => pair.Second),
            deadLetters.Result,
            recent.Result.Items));
    }
}
