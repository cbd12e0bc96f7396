using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;

namespace Eventd.Gateway.Hosting;

/// <summary>
/// Writes "any JSON" values (an event's <c>data</c> and <c>repeat</c>, a logged event's <c>payload</c>) inline as the
/// empty schema rather than as components named <c>JsonNode</c> and <c>JsonElement</c>. Client generators read such a
/// named component as an object with no properties, which cannot hold <c>true</c>, <c>3</c>, a string or an array.
/// </summary>
public static class AnyJsonOpenApi
{
    public static OpenApiOptions AddAnyJsonInline(this OpenApiOptions options)
    {
        var named = options.CreateSchemaReferenceId;
        options.CreateSchemaReferenceId = type => IsAnyJson(type.Type) ? null : named(type);
        return options;
    }

    private static bool IsAnyJson(Type type) =>
        typeof(JsonNode).IsAssignableFrom(type) || (Nullable.GetUnderlyingType(type) ?? type) == typeof(JsonElement);
}
