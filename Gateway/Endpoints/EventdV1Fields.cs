using System.Collections.Immutable;
using System.Text.Json;
using Eventd.Gateway.Http;
using Eventd.Grains.Interfaces;

namespace Eventd.Gateway.Endpoints;

/// <summary>
/// The fields of an Eventd v1 create or update body, each checked on its own; what was absent
/// stays null. Combining them into an event (and the rules that span fields) is
/// <see cref="EventdV1Spec"/>'s job.
/// </summary>
public sealed record EventdV1Fields
{
    private static readonly HashSet<string> Known =
        ["delay", "timestamp", "repeat", "cron", "url", "method", "headers", "webhook", "channel", "data", "payload", "retries", "timeout"];

    private static readonly HashSet<string> KnownInWebhook = ["url", "method", "headers"];

    public double? Delay { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
    public RepeatMode? Repeat { get; init; }
    public int? Times { get; init; }
    public string? Cron { get; init; }
    public string? Url { get; init; }
    public string? Method { get; init; }
    public ImmutableDictionary<string, string>? Headers { get; init; }
    public string? Channel { get; init; }

    /// <summary>True when <c>data</c> or <c>payload</c> was given (even as null).</summary>
    public bool HasData { get; init; }
    public string? Data { get; init; }
    public int? Retries { get; init; }
    public int? TimeoutMs { get; init; }

    /// <summary>The fields of a stored spec, so an update can lay its own fields over them.</summary>
    public static EventdV1Fields From(EventSpec spec) => new()
    {
        Delay = spec.Schedule.DelaySeconds,
        Timestamp = spec.Schedule.Timestamp,
        Repeat = spec.Schedule.Repeat,
        Times = spec.Schedule.Times,
        Cron = spec.Schedule.Cron,
        Url = spec.Webhook?.Url,
        Method = spec.Webhook?.Method,
        Headers = spec.Webhook?.Headers,
        Channel = spec.Channel,
        HasData = true,
        Data = spec.Data,
        Retries = spec.Webhook?.Retries,
        TimeoutMs = spec.Webhook?.TimeoutMs,
    };

    /// <summary>True when the fields move the schedule: an update with them reschedules.</summary>
    public bool Reschedules => Delay is not null || Timestamp is not null || Cron is not null;

    /// <summary>
    /// These fields laid over <paramref name="stored"/>. A cron replaces delay and repeat, and
    /// a delay or repeat replaces a cron, as they would at create.
    /// </summary>
    public EventdV1Fields Over(EventdV1Fields stored)
    {
        var merged = new EventdV1Fields
        {
            Delay = Delay ?? stored.Delay,
            // A new delay alone counts from now (API.md: "reschedules the next fire from now"), not from a stored timestamp.
            Timestamp = Timestamp ?? (Delay is not null ? null : stored.Timestamp),
            Repeat = Repeat ?? stored.Repeat,
            Times = Repeat is null ? stored.Times : Times,
            Cron = Cron ?? stored.Cron,
            Url = Url ?? stored.Url,
            Method = Method ?? stored.Method,
            Headers = Headers ?? stored.Headers,
            Channel = Channel ?? stored.Channel,
            HasData = true,
            Data = HasData ? Data : stored.Data,
            Retries = Retries ?? stored.Retries,
            TimeoutMs = TimeoutMs ?? stored.TimeoutMs,
        };
        if (Cron is not null)
        {
            return merged with { Delay = Delay, Repeat = Repeat, Times = Times };
        }

        return Delay is not null || Repeat is not null ? merged with { Cron = null } : merged;
    }

    /// <summary>Parses a body; the error names the field first (<c>"delay: must be &gt;= 0"</c>).</summary>
    public static (EventdV1Fields? Fields, string? Error) Parse(JsonElement body)
    {
        if (UnknownFields.In(body, Known) is { } unknown)
        {
            return (null, unknown);
        }

        var fields = new EventdV1Fields();
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
                _ => (fields, null),
            };
            if (error is not null)
            {
                return (null, error);
            }
        }

        return (fields, null);
    }

    private static (EventdV1Fields, string?) ParseDelay(EventdV1Fields fields, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var delay) || !double.IsFinite(delay))
        {
            return (fields, "delay: must be a number of seconds");
        }

        return delay < 0 ? (fields, "delay: must be >= 0") : (fields with { Delay = delay }, null);
    }

    private static (EventdV1Fields, string?) ParseRepeat(EventdV1Fields fields, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.False => (fields with { Repeat = RepeatMode.Once, Times = 1 }, null),
        JsonValueKind.True => (fields with { Repeat = RepeatMode.Forever }, null),
        JsonValueKind.Number when ParseInt(value, 1, int.MaxValue) is { } n => (fields with { Repeat = RepeatMode.Times, Times = n }, null),
        _ => (fields, "repeat: must be true, false or an integer >= 1"),
    };

    private static (EventdV1Fields, string?) ParseUrl(EventdV1Fields fields, JsonElement value, string name)
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

    private static (EventdV1Fields, string?) ParseMethod(EventdV1Fields fields, JsonElement value, string name)
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

    private static (EventdV1Fields, string?) ParseHeaders(EventdV1Fields fields, JsonElement value, string name)
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

    private static (EventdV1Fields, string?) ParseWebhook(EventdV1Fields fields, JsonElement value)
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

    private static (EventdV1Fields, string?) ParseChannel(EventdV1Fields fields, JsonElement value) =>
        value.ValueKind == JsonValueKind.String && EventdV1Rules.Channel().IsMatch(value.GetString()!)
            ? (fields with { Channel = value.GetString() }, null)
            : (fields, $"channel: must match {EventdV1Rules.ChannelRule}");

    private static (EventdV1Fields, string?) ParseData(EventdV1Fields fields, JsonProperty property) =>
        fields.HasData
            ? (fields, $"{property.Name}: give data or payload, not both")
            : (fields with { HasData = true, Data = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value.GetRawText() }, null);

    private static int? ParseInt(JsonElement value, int min, int max) =>
        JsonNumbers.TryGetWholeInt32(value, min, max, out var n) ? n : null;
}
