using System.Text.Json;
using Eventd.Gateway.Http;

namespace Eventd.Gateway.EventLog;

/// <summary>
/// Reads the fields of one event-log body in turn and keeps the first refusal, <c>"{field}: {problem}"</c>;
/// once a field is refused, later reads answer defaults. JSON null counts as an absent field.
/// </summary>
public sealed class BodyFields
{
    private readonly JsonElement _body;

    public BodyFields(JsonElement body, ICollection<string> known)
    {
        _body = body;
        Error = UnknownFields.In(body, known);
    }

    public string? Error { get; private set; }

    public void Refuse(string name, string problem) => Error ??= $"{name}: {problem}";

    public string RequiredText(string name, int maxLength)
    {
        if (Error is null && Given(name) is null)
        {
            Refuse(name, "required");
        }

        var text = Text(name, maxLength);
        if (Error is null && text is null)
        {
            Refuse(name, "must be a non-empty string");
        }

        return text ?? "";
    }

    /// <summary>A string field; an empty one counts as absent.</summary>
    public string? Text(string name, int maxLength)
    {
        if (Given(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Refuse(name, "must be a string");
            return null;
        }

        var text = value.GetString()!;
        if (text.Length > maxLength)
        {
            Refuse(name, $"must be at most {maxLength} characters");
            return null;
        }

        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    public string? OneOf(string name, IReadOnlyList<string> allowed, bool required)
    {
        var text = required ? RequiredText(name, int.MaxValue) : Text(name, int.MaxValue);
        if (Error is null && text is not null && !allowed.Contains(text))
        {
            Refuse(name, $"must be one of {string.Join(", ", allowed)}");
            return null;
        }

        return text;
    }

    public JsonElement? ObjectOf(string name)
    {
        var value = Given(name);
        if (value is { ValueKind: not JsonValueKind.Object })
        {
            Refuse(name, "must be a JSON object");
            return null;
        }

        return value;
    }

    /// <summary>Any JSON value, or null when absent.</summary>
    public JsonElement? Value(string name) => Given(name);

    public int WholeNumber(string name, int fallback, int min, int max, string rule)
    {
        if (Given(name) is not { } value)
        {
            return fallback;
        }

        if (JsonNumbers.TryGetWholeInt32(value, min, max, out var number))
        {
            return number;
        }

        Refuse(name, rule);
        return fallback;
    }

    /// <summary>A client time (API.md general rules): ms since the epoch, seconds below 1e11, or ISO 8601.</summary>
    public DateTimeOffset? Time(string name)
    {
        if (Given(name) is not { } value)
        {
            return null;
        }

        if (ClientTime.TryParse(value, out var time))
        {
            return time;
        }

        Refuse(name, "must be milliseconds since the epoch (seconds below 1e11) or an ISO 8601 string");
        return null;
    }

    private JsonElement? Given(string name) =>
        Error is null && _body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
}
