using Eventd.Gateway.Auth;
using Eventd.Gateway.Hosting;
using Eventd.Gateway.Http;
using Eventd.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eventd.Gateway.Endpoints;

/// <summary>Endpoint health and bulk redrive (API.md section 2, "Endpoint health" and "Bulk redrive").</summary>
public static class EndpointHealthEndpoints
{
    public static IEndpointRouteBuilder MapEndpointHealth(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/eventd/v1").WithTags("Delivery");

        v1.MapGet("/endpoints", List).WithName("ListEndpoints").WithSummary("The project's endpoints (target origins) and their health");
        v1.MapPost("/endpoints/enable", Enable).WithName("EnableEndpoint").WithSummary("Enable a disabled endpoint again").DocumentsBody<RouteHandlerBuilder, EnableEndpointBody>();
        v1.MapPost("/deadletters/redeliver", Redrive).WithName("RedriveDeadLetters").WithSummary("Redeliver every dead letter a url prefix and time range select").DocumentsBody<RouteHandlerBuilder, RedriveBody>();
        return app;
    }

    public sealed record EndpointJson(string Origin, string Status, string? Reason, DateTime? DisabledAt, DateTime? FailingSince, DateTime? LastSuccessAt);

    public sealed record EndpointList(bool Ok, IReadOnlyList<EndpointJson> Items);

    public sealed record EnableAnswer(bool Ok, string Origin);

    public sealed record CountAnswer(bool Ok, int Count);

    private static async Task<Results<Ok<EndpointList>, JsonHttpResult<ErrorEnvelope>>> List(HttpContext context, ClusterConnection cluster)
    {
        var (project, status, error) = ListedProject.Of(context);
        if (project is null)
        {
            return Error(status, error!);
        }

        var views = await cluster.Client.GetGrain<IEndpointListGrain>(0).List(project);
        return TypedResults.Ok(new EndpointList(true, [.. views.Select(Json)]));
    }

    private static async Task<Results<Ok<EnableAnswer>, JsonHttpResult<ErrorEnvelope>>> Enable(HttpRequest request, ClusterConnection cluster)
    {
        var (project, status, projectError) = ListedProject.Of(request.HttpContext);
        if (project is null)
        {
            return Error(status, projectError!);
        }

        var body = await JsonBody.ReadObjectAsync(request);
        if (!body.IsValid)
        {
            return Error(body.Status, body.Error!);
        }

        var (origin, error) = EndpointHealthRequests.ParseEnable(body.Root);
        if (origin is null)
        {
            return Error(StatusCodes.Status400BadRequest, error!);
        }

        var enabled = await cluster.Client.GetGrain<IEndpointHealthGrain>(EndpointOrigin.Key(project, origin)).Enable();
        return enabled
            ? TypedResults.Ok(new EnableAnswer(true, origin))
            : Error(StatusCodes.Status404NotFound, $"origin: no endpoint {origin} in project {project}");
    }

    private static async Task<Results<Accepted<CountAnswer>, JsonHttpResult<ErrorEnvelope>>> Redrive(HttpRequest request, ClusterConnection cluster)
    {
        var (project, status, projectError) = ListedProject.OrEvery(request.HttpContext);
        if (project is null)
        {
            return Error(status, projectError!);
        }

        var body = await JsonBody.ReadObjectAsync(request, allowEmpty: true);
        if (!body.IsValid)
        {
            return Error(body.Status, body.Error!);
        }

        var (selection, error) = EndpointHealthRequests.ParseRedrive(body.Root);
        if (selection is null)
        {
            return Error(StatusCodes.Status400BadRequest, error!);
        }

        var count = await cluster.Client.GetGrain<IDeadLetterRedriveGrain>(0).Redeliver(project, selection);
        return TypedResults.Accepted("/eventd/v1/deadletters", new CountAnswer(true, count));
    }

    private static EndpointJson Json(EndpointView view) => new(
        view.Origin,
        view.Disabled ? "disabled" : "enabled",
        view.Reason,
        view.DisabledAt?.UtcDateTime,
        view.FailingSince?.UtcDateTime,
        view.LastSuccessAt?.UtcDateTime);

    private static JsonHttpResult<ErrorEnvelope> Error(int status, string error) =>
        TypedResults.Json(ErrorEnvelope.Of(error), statusCode: status);
}
