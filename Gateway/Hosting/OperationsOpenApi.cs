using System.Reflection;
using Eventd.Gateway.Endpoints;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Orleans.Dashboard;

namespace Eventd.Gateway.Hosting;

/// <summary>
/// Puts into the OpenAPI document the operations routes (API.md "Operations") that no endpoint
/// of ours describes: the Prometheus scrape at <c>/metrics</c>, the Orleans dashboard at <c>/dashboard</c> and
/// this document itself at <c>/openapi/v1.json</c>.
/// </summary>
public static class OperationsOpenApi
{
    private const string MetricsPath = "/metrics";
    private const string DashboardPath = "/dashboard";
    private const string DocumentPath = "/openapi/v1.json";
    private static readonly Assembly DashboardAssembly = typeof(DashboardOptions).Assembly;

    public static OpenApiOptions AddOperationsRoutes(this OpenApiOptions options)
    {
        // The dashboard maps its page, its assets and the data API its scripts call as minimal APIs.
        // Those are the package's internals, not Eventd's contract: the document lists the page once.
        var include = options.ShouldInclude;
        options.ShouldInclude = description => include(description) && !IsDashboardOwn(description);
        options.AddDocumentTransformer((document, _, _) =>
        {
            AddOperationsPaths(document);
            return Task.CompletedTask;
        });
        return options;
    }

    private static bool IsDashboardOwn(ApiDescription description) =>
        description.ActionDescriptor.EndpointMetadata.OfType<MethodInfo>().Any(handler => handler.DeclaringType?.Assembly == DashboardAssembly);

    private static void AddOperationsPaths(OpenApiDocument document)
    {
        document.Tags ??= new HashSet<OpenApiTag>();
        if (!document.Tags.Any(tag => tag.Name == OperationsEndpoints.Tag))
        {
            document.Tags.Add(new OpenApiTag { Name = OperationsEndpoints.Tag });
        }

        document.Paths[MetricsPath] = Get(document, "Metrics", "Prometheus metrics of the gateway", new OpenApiResponses
        {
            ["200"] = new OpenApiResponse
            {
                Description = "Prometheus text format 0.0.4; OpenMetrics 1.0 when the Accept header asks for application/openmetrics-text",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["text/plain"] = Text(),
                    ["application/openmetrics-text"] = Text(),
                },
            },
        });
        document.Paths[DocumentPath] = Get(document, "OpenApiDocument", "This document: every route of the gateway", new OpenApiResponses
        {
            ["200"] = new OpenApiResponse
            {
                Description = "The OpenAPI document, as JSON",
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } } },
            },
        });
        document.Paths[DashboardPath] = Get(document, "Dashboard", "The Orleans dashboard: silos, grains, calls, reminders", new OpenApiResponses
        {
            ["200"] = new OpenApiResponse
            {
                Description = "The dashboard's HTML page, served at /dashboard/",
                Content = new Dictionary<string, OpenApiMediaType> { ["text/html"] = Text() },
            },
            ["301"] = new OpenApiResponse
            {
                // The page loads its scripts by relative paths, which resolve only under the trailing slash.
                Description = "Redirects /dashboard to /dashboard/",
                Headers = new Dictionary<string, IOpenApiHeader>
                {
                    ["Location"] = new OpenApiHeader { Description = "/dashboard/", Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
        });
    }

    private static OpenApiPathItem Get(OpenApiDocument document, string operationId, string summary, OpenApiResponses responses) => new()
    {
        Operations = new Dictionary<HttpMethod, OpenApiOperation>
        {
            [HttpMethod.Get] = new OpenApiOperation
            {
                OperationId = operationId,
                Summary = summary,

                // Operations routes need no key (API.md "Operations"), said explicitly as the keyed routes say theirs.
                Security = [],
                Tags = new HashSet<OpenApiTagReference> { new(OperationsEndpoints.Tag, document) },
                Responses = responses,
            },
        },
    };

    private static OpenApiMediaType Text() => new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
}
