using Microsoft.AspNetCore.OpenApi;

namespace Eventd.Gateway.Hosting;

/// <summary>
/// Gives every operation its own <c>operationId</c>. A route mapped for several methods (<c>MapMethods</c>) has one
/// endpoint name, which the generator would give each of its operations; client generators need one id per operation.
/// The first method keeps the name, so ids that clients already use stay as they were.
/// </summary>
public static class OperationIdsOpenApi
{
    public static OpenApiOptions AddUniqueOperationIds(this OpenApiOptions options) =>
        options.AddOperationTransformer((operation, context, _) =>
        {
            var methods = context.Description.ActionDescriptor.EndpointMetadata.OfType<HttpMethodMetadata>().LastOrDefault()?.HttpMethods ?? [];
            var method = context.Description.HttpMethod ?? "";
            if (operation.OperationId is { } name && methods.Count > 1 && !string.Equals(methods[0], method, StringComparison.OrdinalIgnoreCase))
            {
                operation.OperationId = name + char.ToUpperInvariant(method[0]) + method[1..].ToLowerInvariant();
            }

            return Task.CompletedTask;
        });
}
