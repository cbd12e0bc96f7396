using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Eventd.Gateway.Hosting;

/// <summary>
/// Describes numbers as numbers. The generator reads the web JSON defaults, which accept numbers written as strings,
/// and so documents every number as <c>["integer", "string"]</c> with a digits pattern. No route binds its body with
/// those defaults: each reads its own JSON and refuses <c>"delay": "5"</c>, and every answer writes plain numbers. A
/// client generated from the wider type would send strings the gateway refuses, or parse a union it never receives.
/// </summary>
public static class NumbersOpenApi
{
    private const JsonSchemaType Numeric = JsonSchemaType.Integer | JsonSchemaType.Number;

    public static OpenApiOptions AddStrictNumbers(this OpenApiOptions options) =>
        options.AddSchemaTransformer((schema, _, _) =>
        {
            if (schema.Type is { } type && (type & Numeric) != 0 && type.HasFlag(JsonSchemaType.String))
            {
                schema.Type = type & ~JsonSchemaType.String;
                schema.Pattern = null;
            }

            return Task.CompletedTask;
        });
}
