using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Eventd.Gateway.Auth;

/// <summary>
/// Says in the OpenAPI document how a key is sent (API.md "Keys and auth"): three security schemes, any one
/// of which every route but the operations routes and the console accepts.
/// </summary>
public static class KeysOpenApi
{
    private static readonly (string Id, OpenApiSecurityScheme Scheme)[] Schemes =
    [
        ("eventdSecret", new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = PresentedKey.EventdHeader, Description = "A project key, or the admin key" }),
        ("buildableSecret", new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = PresentedKey.BuildableHeader, Description = "The same key, under its other name" }),
        ("bearer", new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "The same key as Authorization: Bearer" }),
    ];

    public static OpenApiOptions AddKeySecurity(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            foreach (var (id, scheme) in Schemes)
            {
                document.Components.SecuritySchemes[id] = scheme;
            }

            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            // Alternatives: one requirement per scheme, any one satisfies the route. An open route says so with an
            // empty list: without one, linters and client generators cannot tell "open" from "forgot to say".
            operation.Security = AuthMiddleware.IsOpen(new PathString("/" + context.Description.RelativePath))
                ? []
                : [.. Schemes.Select(s => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(s.Id, context.Document)] = [] })];

            return Task.CompletedTask;
        });
        return options;
    }
}
