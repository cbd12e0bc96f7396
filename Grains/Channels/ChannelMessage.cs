using System.Text.Json;
using System.Text.Json.Nodes;

namespace Eventd.Grains.Channels;

/// <summary>The message a fire publishes: <c>{"id", "channel", "seq", "firedAt", "data"}</c>.</summary>
public static class ChannelMessage
{
    public static string For(string eventId, string channel, int seq, DateTimeOffset firedAt, string? data)
    {
        var message = new JsonObject
        {
            ["id"] = eventId,
            ["channel"] = channel,
            ["seq"] = seq,
            ["firedAt"] = firedAt.UtcDateTime.ToString("O"),
            ["data"] = data is null ? null : JsonNode.Parse(data),
        };
        return message.ToJsonString(JsonSerializerOptions.Default);
    }
}
