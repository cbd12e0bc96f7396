using Eventd.Gateway.Auth;
using Eventd.Gateway.Hosting;
using Eventd.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eventd.Gateway.Endpoints;

/// <summary>Flow-control keys as they stand (API.md section 2, "Flow control"), and the list of them the console shows.</summary>
public static class FlowControlEndpoints
{
    /// <summary>The most keys one list shows: each is a grain call.</summary>
    private const int MaxListed = 200;

    public static IEndpointRouteBuilder MapFlowControl(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/eventd/v1").WithTags("Delivery");
        v1.MapGet("/flow-control/{key}", Get).WithName("GetFlowControlKey").WithSummary("A flow-control key's limits, and the attempts waiting for and in flight under them")
            .Refuses<ErrorEnvelope>(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        v1.MapGet("/flow-control", List).WithName("ListFlowControlKeys").WithSummary("The project's flow-control keys with their waiting and in-flight counts");
        return app;
    }

    public sealed record FlowControlKeyJson(bool Ok, string Key, int? Rate, int Period, int? Parallelism, int Waiting, int InFlight)
    {
        public static FlowControlKeyJson From(FlowControlView view) =>
            new(true, view.Limits.Key, view.Limits.Rate, view.Limits.Period, view.Limits.Parallelism, view.Waiting, view.InFlight);
    }

    public sealed record FlowControlList(bool Ok, IReadOnlyList<FlowControlKeyJson> Items);

    private static async Task<Results<Ok<FlowControlKeyJson>, JsonHttpResult<ErrorEnvelope>>> Get(string key, HttpContext context, ClusterConnection cluster)
    {
        var (project, status, error) = ListedProject.Of(context);
        if (project is null)
        {
            return Error(status, error!);
        }

        if (!EventdV1Rules.Channel().IsMatch(key))
        {
            return Error(StatusCodes.Status400BadRequest, $"key: must match {EventdV1Rules.ChannelRule}");
        }

        var view = await cluster.Client.GetGrain<IFlowControlKeyGrain>(FlowControl.GrainKey(project, key)).Get();
        return view is null
            ? Error(StatusCodes.Status404NotFound, $"key: no event of project {project} named flow-control key {key}")
            : TypedResults.Ok(FlowControlKeyJson.From(view));
    }

    private static async Task<Results<Ok<FlowControlList>, JsonHttpResult<ErrorEnvelope>>> List(HttpContext context, ClusterConnection cluster)
    {
        var (project, status, error) = ListedProject.Of(context);
        if (project is null)
        {
            return Error(status, error!);
        }

        var keys = await cluster.Client.GetGrain<IFlowControlListGrain>(0).Keys(project);
        var views = await Task.WhenAll(keys.Take(MaxListed).Select(key => cluster.Client.GetGrain<IFlowControlKeyGrain>(FlowControl.GrainKey(project, key)).Get()));
        return TypedResults.Ok(new FlowControlList(true, [.. views.OfType<FlowControlView>().Select(FlowControlKeyJson.From)]));
    }

    private static JsonHttpResult<ErrorEnvelope> Error(int status, string error) =>
        TypedResults.Json(ErrorEnvelope.Of(error), statusCode: status);
}
