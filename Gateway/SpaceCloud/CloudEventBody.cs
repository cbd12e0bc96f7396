using System.Text.Json.Nodes;

namespace Eventd.Gateway.SpaceCloud;

/// <summary>
/// The CloudEvents 1.0 structured body every trigger receives:
/// <c>{"specversion", "id", "type", "source", "time", "data"}</c>.
/// </summary>
/// <remarks>
/// Written with System.Text.Json.Nodes, not CloudNative.CloudEvents: its JSON formatter leaves
/// <c>data</c> out when there is none (API.md writes <c>"data": null</c>) and adds a
/// <c>datacontenttype</c> it infers when there is, so it cannot produce this body exactly.
/// </remarks>
public static class CloudEventBody
{
    public static string For(string id, string type, string source, DateTimeOffset time, string? data) => new JsonObject
    {
        ["specversion"] = "1.0",
        ["id"] = id,
        ["type"] = type,
        ["source"] = source,
        ["time"] = time.UtcDateTime,
        ["data"] = data is null ? null : JsonNode.Parse(data),
    }.ToJsonString();
}
