using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Eventd.Gateway.Endpoints;

/// <summary>
/// Liveness and readiness (API.md "Operations"), as minimal APIs so that the OpenAPI document lists
/// them; they answer as <c>MapHealthChecks</c> did: the status in plain text, never cached.
/// </summary>
public static class OperationsEndpoints
{
    public const string Tag = "Operations";

    /// <summary>The tag of the checks <c>/readyz</c> runs; GatewayExtensions gives it to the readiness check.</summary>
    public const string ReadyTag = "ready";

    private const string PlainText = "text/plain";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", Live).WithName("Liveness").WithSummary("The process is up").WithTags(Tag)
            .Produces<string>(StatusCodes.Status200OK, PlainText);
        app.MapGet("/readyz", Ready).WithName("Readiness").WithSummary("The cluster and Redis are reachable").WithTags(Tag)
            .Produces<string>(StatusCodes.Status200OK, PlainText)
            .Produces<string>(StatusCodes.Status503ServiceUnavailable, PlainText);
        return app;
    }

    /// <summary>Runs no check: answering at all is the proof of life, whatever Redis or the cluster do.</summary>
    private static Task<ContentHttpResult> Live(HttpResponse response, HealthCheckService health, CancellationToken cancel) =>
        ReportAsync(response, health, _ => false, cancel);

    private static Task<ContentHttpResult> Ready(HttpResponse response, HealthCheckService health, CancellationToken cancel) =>
        ReportAsync(response, health, check => check.Tags.Contains(ReadyTag), cancel);

    private static async Task<ContentHttpResult> ReportAsync(
        HttpResponse response, HealthCheckService health, Func<HealthCheckRegistration, bool> predicate, CancellationToken cancel)
    {
        var report = await health.CheckHealthAsync(predicate, cancel);

        // A probe must see the state of now, never an answer cached on the way.
        response.Headers.CacheControl = "no-store, no-cache";
        response.Headers.Pragma = "no-cache";
        response.Headers.Expires = "Thu, 01 Jan 1970 00:00:00 GMT";
        return report.Status == HealthStatus.Unhealthy
            ? TypedResults.Text($"{report.Status}: {Reasons(report)}", PlainText, statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Text(report.Status.ToString(), PlainText);
    }

    /// <summary>Each failing check by name and why, e.g. <c>cluster: redis: timeout</c>.</summary>
    private static string Reasons(HealthReport report) =>
        string.Join("; ", report.Entries
            .Where(entry => entry.Value.Status == HealthStatus.Unhealthy)
            .Select(entry => $"{entry.Key}: {entry.Value.Description ?? entry.Value.Exception?.Message ?? "unhealthy"}"));
}
