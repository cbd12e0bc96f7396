using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Eventd.Gateway.Endpoints;

/// <summary>
/// Describes a route's JSON request body in the OpenAPI document without <c>Accepts</c>, whose content-type
/// metadata would make routing answer a mismatched <c>Content-Type</c> before the route's own 415 (in its family's shape).
/// </summary>
public static class RequestBodyDocs
{
    public static TBuilder DocumentsBody<TBuilder, TBody>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(TBody), parameterDescription: null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });
}
