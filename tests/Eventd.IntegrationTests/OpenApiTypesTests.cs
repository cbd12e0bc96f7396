using System.Net.Http.Json;
using System.Text.Json;

namespace Eventd.IntegrationTests;

/// <summary>
/// The OpenAPI document types values as the gateway reads and writes them, so a generated client can hold them:
/// numbers are numbers only, and "any JSON" (an event's <c>data</c> and <c>repeat</c>) is the empty schema, not an
/// empty object model. <see cref="KiotaClientTests"/> shows a generated client working; these say why in one line.
/// </summary>
[Collection(SharedClusterCollection.Name)]
public sealed class OpenApiTypesTests(SharedClusterFixture fixture)
{
    [Fact]
    public async Task No_number_is_described_as_a_string_too()
    {
        var document = await fixture.Eventd.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var widened = Schemas(document)
            .Where(s => s.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array)
            .Select(s => s.GetProperty("type").EnumerateArray().Select(t => t.GetString()).ToList())
            .Where(types => types.Contains("string") && (types.Contains("integer") || types.Contains("number")));
        Assert.Empty(widened);
        Assert.DoesNotContain(Schemas(document), s => s.TryGetProperty("pattern", out _));
    }

    [Fact]
    public async Task Any_json_value_is_the_empty_schema_and_no_component_of_its_own()
    {
        var document = await fixture.Eventd.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var schemas = document.GetProperty("components").GetProperty("schemas");

        Assert.False(schemas.TryGetProperty("JsonNode", out _));
        Assert.False(schemas.TryGetProperty("JsonElement", out _));
        var eventJson = schemas.GetProperty("EventJson").GetProperty("properties");
        Assert.Empty(eventJson.GetProperty("data").EnumerateObject());
        Assert.Empty(eventJson.GetProperty("repeat").EnumerateObject());
    }

    /// <summary>Every object of the document, depth first: each schema is one of them.</summary>
    private static IEnumerable<JsonElement> Schemas(JsonElement node) => node.ValueKind switch
    {
        JsonValueKind.Object => node.EnumerateObject().SelectMany(p => Schemas(p.Value)).Prepend(node),
        JsonValueKind.Array => node.EnumerateArray().SelectMany(Schemas),
        _ => [],
    };
}
