using System.Collections.Immutable;
using System.Text.Json;
using Eventd.Gateway.Http;
using Eventd.Grains.Interfaces;

namespace Eventd.Gateway.Endpoints;

/// <summary>
/// Parses an Eventd v1 create or update body into its fields, each checked on its own (type, range,
/// unknown fields); what was absent stays null. The rules that span fields are the grains' (the intake's
/// for a create, the event's own for an update), so they hold wherever an event is made or changed.
/// </summary>
public static class EventdV1Fields
{
    private static readonly HashSet<string> Known =
        ["delay", "timestamp", "repeat", "cron", "timezone", "catchup", "overlap", "url", "method", "headers", "webhook", "channel", "data", "payload", "retries", "timeout", FlowControlField.Name, "orderingKey"];

    private static readonly HashSet<string> KnownInWebhook = ["url", "method", "headers"];

    /// <summary>Parses a body; the error names the field first (<c>"delay: must be &gt;= 0"</c>).</summary>
    public static (EventFields? Fields, string? Error) Parse(JsonElement body)
    {
        if (UnknownFields.In(body, Known) is { } unknown)
        {
            return (null, unknown);
        }

        var fields = new EventFields();
        string? error = null;
        foreach (var property in body.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null && property.Name is not ("data" or "payload"))
            {
                continue;
            }

            (fields, error) = property.Name switch
            {
                "delay" => ParseDelay(fields, property.Value),
                "timestamp" => ClientTime.TryParse(property.Value, out var at)
                    ? (fields with { Timestamp = at }, null)
                    : (fields, "timestamp: must be milliseconds since the epoch (seconds below 1e11) or an ISO 8601 string"),
                "repeat" => ParseRepeat(fields, property.Value),
                "cron" => property.Value.ValueKind == JsonValueKind.String
                    ? (fields with { Cron = property.Value.GetString() }, null)
                    : (fields, "cron: must be a string"),
                "timezone" => property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: > 0 } zone
                    ? (fields with { TimeZone = zone }, null)
                    : (fields, "timezone: must be an IANA time zone name, such as \"Europe/Berlin\""),
                "catchup" => SchedulePolicyNames.Catchup(property.Value) is { } catchup
                    ? (fields with { Catchup = catchup }, null)
                    : (fields, "catchup: must be \"skip\", \"one\" or \"all\""),
                "overlap" => SchedulePolicyNames.Overlap(property.Value) is { } overlap
                    ? (fields with { Overlap = overlap }, null)
                    : (fields, "overlap: must be \"allow\", \"skip\" or \"bufferOne\""),
                "url" => ParseUrl(fields, property.Value, "url"),
                "method" => ParseMethod(fields, property.Value, "method"),
                "headers" => ParseHeaders(fields, property.Value, "headers"),
                "webhook" => ParseWebhook(fields, property.Value),
                "channel" => ParseChannel(fields, property.Value),
                "data" or "payload" => ParseData(fields, property),
                "retries" => ParseInt(property.Value, 0, 100) is { } retries
                    ? (fields with { Retries = retries }, null)
                    : (fields, "retries: must be an integer from 0 to 100"),
                "timeout" => ParseInt(property.Value, 100, 60_000) is { } timeout
                    ? (fields with { TimeoutMs = timeout }, null)
                    : (fields, "timeout: must be an integer from 100 to 60000 (ms)"),
                FlowControlField.Name => ParseFlowControl(fields, property.Value),
                "orderingKey" => ParseOrderingKey(fields, property.Value),
                _ => (fields, null),
            };
            if (error is not null)
            {
                return (null, error);
            }
        }

        return (fields, null);
    }

    private static (EventFields, string?) ParseDelay(EventFields fields, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var delay) || !double.IsFinite(delay))
        {
            return (fields, "delay: must be a number of seconds");
        }

        return delay < 0 ? (fields, "delay: must be >= 0") : (fields with { Delay = delay }, null);
    }

    private static (EventFields, string?) ParseRepeat(EventFields fields, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.False => (fields with { Repeat = RepeatMode.Once, Times = 1 }, null),
        JsonValueKind.True => (fields with { Repeat = RepeatMode.Forever }, null),
        JsonValueKind.Number when ParseInt(value, 1, int.MaxValue) is { } n => (fields with { Repeat = RepeatMode.Times, Times = n }, null),
        _ => (fields, "repeat: must be true, false or an integer >= 1"),
    };

    private static (EventFields, string?) ParseUrl(EventFields fields, JsonElement value, string name)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return (fields, $"{name}: must be a string");
        }

        var url = value.GetString()!;
        if (EventdV1Rules.CheckUrl(url) is { } problem)
        {
            return (fields, $"{name}: {problem}");
        }

        return fields.Url is { } other && other != url
            ? (fields, $"{name}: conflicts with the other url given")
            : (fields with { Url = url }, null);
    }

    private static (EventFields, string?) ParseMethod(EventFields fields, JsonElement value, string name)
    {
        var method = value.ValueKind == JsonValueKind.String ? value.GetString()!.ToUpperInvariant() : null;
        if (method is null || !EventdV1Rules.Methods.Contains(method))
        {
            return (fields, $"{name}: must be one of {string.Join(", ", EventdV1Rules.Methods)}");
        }

        return fields.Method is { } other && other != method
            ? (fields, $"{name}: conflicts with the other method given")
            : (fields with { Method = method }, null);
    }

    private static (EventFields, string?) ParseHeaders(EventFields fields, JsonElement value, string name)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return (fields, $"{name}: must be an object of header names to string values");
        }

        var headers = (fields.Headers ?? ImmutableDictionary<string, string>.Empty).ToBuilder();
        foreach (var header in value.EnumerateObject())
        {
            if (header.Value.ValueKind != JsonValueKind.String)
            {
                return (fields, $"{name}.{header.Name}: must be a string");
            }

            if (EventdV1Rules.CheckHeader(header.Name, header.Value.GetString()!) is { } problem)
            {
                return (fields, $"{name}.{header.Name}: {problem}");
            }

            headers[header.Name] = header.Value.GetString()!;
        }

        return (fields with { Headers = headers.ToImmutable() }, null);
    }

    private static (EventFields, string?) ParseWebhook(EventFields fields, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return (fields, "webhook: must be an object");
        }

        var unknown = value.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => !KnownInWebhook.Contains(n));
        if (unknown is not null)
        {
            return (fields, $"webhook.{unknown}: unknown field");
        }

        string? error = null;
        foreach (var property in value.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null))
        {
            (fields, error) = property.Name switch
            {
                "url" => ParseUrl(fields, property.Value, "webhook.url"),
                "method" => ParseMethod(fields, property.Value, "webhook.method"),
                _ => ParseHeaders(fields, property.Value, "webhook.headers"),
            };
            if (error is not null)
            {
                break;
            }
        }

        return (fields, error);
    }

    private static (EventFields, string?) ParseChannel(EventFields fields, JsonElement value) =>
        value.ValueKind == JsonValueKind.String && EventdV1Rules.Channel().IsMatch(value.GetString()!)
            ? (fields with { Channel = value.GetString() }, null)
            : (fields, $"channel: must match {EventdV1Rules.ChannelRule}");

    private static (EventFields, string?) ParseFlowControl(EventFields fields, JsonElement value)
    {
        var (limits, error) = FlowControlField.Parse(value);
        return limits is null ? (fields, error) : (fields with { FlowControl = limits }, null);
    }

    private static (EventFields, string?) ParseOrderingKey(EventFields fields, JsonElement value)
    {
        var (key, error) = FlowControlField.ParseOrderingKey(value);
        return key is null ? (fields, error) : (fields with { OrderingKey = key }, null);
    }

    private static (EventFields, string?) ParseData(EventFields fields, JsonProperty property) =>
        fields.HasData
            ? (fields, $"{property.Name}: give data or payload, not both")
            : (fields with { HasData = true, Data = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value.GetRawText() }, null);

    private static int? ParseInt(JsonElement value, int min, int max) =>
        JsonNumbers.TryGetWholeInt32(value, min, max, out var n) ? n : null;
}
