using System.Text.Json;

namespace Eventd.Gateway.Http;

/// <summary>
/// Where a body repeats a key, as a field path (<c>flowControl.rate</c>, <c>events[1].url</c>): the parser that
/// refuses the body names only the repeated key, not the object holding it.
/// </summary>
public static class DuplicateKeys
{
    private static readonly JsonDocumentOptions Lenient = new() { AllowDuplicateProperties = true, MaxDepth = 256 };

    /// <summary>The path of the first repeated key, depth first; null when none is (or the text is not JSON).</summary>
    public static string? FirstIn(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, Lenient);
            return FirstIn(document.RootElement, prefix: "");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? FirstIn(JsonElement element, string prefix)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var path = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
                    if (!seen.Add(property.Name))
                    {
                        return path;
                    }

                    if (FirstIn(property.Value, path) is { } inside)
                    {
                        return inside;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstIn(item, $"{prefix}[{index++}]") is { } inside)
                    {
                        return inside;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
