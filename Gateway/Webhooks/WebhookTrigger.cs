using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Eventd.Gateway.Http;

namespace Eventd.Gateway.Webhooks;

/// <summary>The body of a trigger request, as the hook's grain puts it into what it delivers (<c>"body"</c>).</summary>
public static class WebhookTrigger
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    /// <summary>The trigger request's body as JSON when it is JSON, else its text (invalid UTF-8 replaced); null when empty.</summary>
    public static JsonNode? Body(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return null;
        }

        JsonNode? json;
        try
        {
            json = JsonNode.Parse(bytes, documentOptions: Strict);
        }
        catch (JsonException)
        {
            return Text(bytes);
        }

        // JSON whose strings are not all valid text could not be written out again: it is kept as text too.
        return JsonText.MayHoldInvalidText(bytes) && HasInvalidText(bytes) ? Text(bytes) : json;
    }

    /// <summary><see cref="Body"/> as JSON text, as a trigger hands it to the hook's grain.</summary>
    public static string? BodyJson(byte[] bytes) => Body(bytes)?.ToJsonString();

    private static JsonValue Text(byte[] bytes) => JsonValue.Create(Encoding.UTF8.GetString(bytes));

    private static bool HasInvalidText(byte[] bytes)
    {
        using var document = JsonDocument.Parse(bytes, Strict);
        return JsonText.FirstInvalid(document.RootElement) is not null;
    }
}
