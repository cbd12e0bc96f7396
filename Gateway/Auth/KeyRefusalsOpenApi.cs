using Eventd.Gateway.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Eventd.Gateway.Auth;

/// <summary>
/// Documents the refusals <see cref="AuthMiddleware"/> answers before any keyed route runs: <c>401</c> on every
/// one, <c>403</c> where a key can reach the wrong project or a project key an admin route. The middleware writes
/// them in the body shape of the route's family, so the document names that shape too.
/// </summary>
public static class KeyRefusalsOpenApi
{
    public static OpenApiOptions AddKeyRefusals(this OpenApiOptions options) =>
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var path = new PathString("/" + context.Description.RelativePath);
            if (AuthMiddleware.IsOpen(path))
            {
                return;
            }

            var shape = await context.GetOrCreateSchemaAsync(FamilyErrors.ShapeOf(path), parameterDescription: null, cancellationToken);
            operation.Responses ??= [];
            operation.Responses.TryAdd("401", Refusal("No key, or an unknown or revoked one (with WWW-Authenticate: Bearer)", shape));
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<AdminRoute>().Any())
            {
                operation.Responses.TryAdd("403", Refusal("A project key: only the admin key manages keys", shape));
            }
            else if (!metadata.OfType<EventLogRoute>().Any())
            {
                // An event-log key only ever reaches its own project, so those routes never answer 403.
                operation.Responses.TryAdd("403", Refusal("A key of another project than the route or the resource names; without an admin key, a client not on loopback", shape));
            }
        });

    private static OpenApiResponse Refusal(string description, IOpenApiSchema shape) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = shape } },
    };
}
