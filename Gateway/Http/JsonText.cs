using System.Text.Json;
using System.Text.Unicode;

namespace Eventd.Gateway.Http;

/// <summary>
/// Finds text in a parsed JSON body that cannot become a string: bytes that are not UTF-8, or an escaped
/// lone surrogate (<c>"\ud800"</c>). <see cref="JsonDocument"/> parses both and only fails when the text is
/// read, which would be a 500 deep in a handler; the body is refused up front instead, naming where.
/// </summary>
public static class JsonText
{
    /// <summary>A cheap test first: only a body with bytes that are not UTF-8, or with a <c>\u</c> escape, can hold such text.</summary>
    public static bool MayHoldInvalidText(ReadOnlySpan<byte> body) => body.IndexOf("\\u"u8) >= 0 || !Utf8.IsValid(body);

    /// <summary>The 400 message for the first string or key of <paramref name="root"/> that is not valid text, or null when all are.</summary>
    public static string? FirstInvalid(JsonElement root) => Find(root, null);

    private static string? Find(JsonElement element, string? path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Readable(element.GetString) ? null : $"{path ?? "body"}: not valid UTF-8 text";
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var name = "";
                    if (!Readable(() => name = property.Name))
                    {
                        return $"{path ?? "body"}: a key is not valid UTF-8 text";
                    }

                    if (Find(property.Value, path is null ? name : $"{path}.{name}") is { } error)
                    {
                        return error;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item, $"{path ?? "body"}[{index++}]") is { } error)
                    {
                        return error;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool Readable(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
