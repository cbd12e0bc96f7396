using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;

namespace Eventd.Gateway.SpaceCloud;

/// <summary>
/// The CloudEvents 1.0 structured body every trigger receives:
/// <c>{"specversion", "id", "type", "source", "time", "data"}</c>, written by the CNCF SDK.
/// </summary>
/// <remarks>
/// The data goes in as a <see cref="JsonElement"/> also when the queue sent none: the SDK leaves
/// out a <c>null</c> <see cref="CloudEvent.Data"/>, but writes a JSON <c>null</c> element, which is
/// how API.md shows an event without data. <see cref="CloudEventBodyFormatter"/> keeps the
/// <c>datacontenttype</c> the SDK would infer out of the body.
/// </remarks>
public static class CloudEventBody
{
    static readonly JsonElement NoData = JsonSerializer.Deserialize<JsonElement>("null");

    public static string For(string id, string type, string source, DateTimeOffset time, string? data)
    {
        // Attributes are written in the order they are set, which is the order API.md shows.
        var cloudEvent = new CloudEvent
        {
            Id = id,
            Type = type,
            Source = new Uri(source, UriKind.RelativeOrAbsolute),
            Time = time.ToUniversalTime(),
            Data = data is null ? NoData : JsonSerializer.Deserialize<JsonElement>(data),
        };
        return Encoding.UTF8.GetString(CloudEventBodyFormatter.Instance.EncodeStructuredModeMessage(cloudEvent, out _).Span);
    }
}
