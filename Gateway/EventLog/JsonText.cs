using System.Text.Json;

namespace Eventd.Gateway.EventLog;

/// <summary>JSON the grains keep as text (payloads, outputs), answered as sent: numbers keep every digit.</summary>
public static class JsonText
{
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
