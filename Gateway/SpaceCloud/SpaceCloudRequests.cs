using System.Text.Json;
using System.Text.RegularExpressions;
using Eventd.Gateway.Endpoints;
using Eventd.Gateway.Http;
using Eventd.Grains.Interfaces;

namespace Eventd.Gateway.SpaceCloud;

/// <summary>A queue request as accepted: its type, when it is due, its data as raw JSON text (null when none).</summary>
public sealed record QueueRequest(string Type, double Delay, DateTimeOffset? Timestamp, DateTimeOffset DueAt, string? Data, bool IsSynchronous);

/// <summary>
/// The rules of the Space Cloud eventing bodies (API.md section 3), in one place: each refusal is an
/// error naming the field first, and nothing is stored before a body has passed.
/// </summary>
public static partial class SpaceCloudRequests
{
    public const int DefaultRetries = 3;
    public const int DefaultTimeoutMs = 5000;

    // "id" lets a listed trigger be posted back as it was read. "payload" and "options" are what Space Cloud's
    // own clients send: its payload is our data, and its options (for its database events) mean nothing here.
    private static readonly string[] TriggerFields = ["id", "type", "url", "retries", "timeout", FlowControlField.Name];
    private static readonly string[] QueueFields = ["type", "delay", "timestamp", "data", "payload", "options", "isSynchronous"];

    // \z, not $: in .NET, $ also matches before a final newline.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\\z")]
    private static partial Regex NamePattern();

    /// <summary>Null when <paramref name="value"/> is a valid trigger (or project) name, else why not.</summary>
    public static string? CheckName(string value) =>
        NamePattern().IsMatch(value) ? null : "must be 1 to 64 letters, digits, '_' or '-', starting with a letter or digit";

    public static (SpaceCloudTrigger? Trigger, string? Error) ParseTrigger(string name, JsonElement body)
    {
        if (CheckName(name) is { } nameError)
        {
            return (null, $"name: {nameError}");
        }

        if (UnknownFields.In(body, TriggerFields) is { } unknown)
        {
            return (null, unknown);
        }

        if (Given(body, "id") is { } id && (id.ValueKind != JsonValueKind.String || id.GetString() != name))
        {
            return (null, $"id: must be the trigger's name in the path, {name}");
        }

        if (RequiredString(body, "type", out var type) is { } typeError)
        {
            return (null, typeError);
        }

        if (RequiredString(body, "url", out var url) is { } urlMissing)
        {
            return (null, urlMissing);
        }

        if (EventdV1Rules.CheckUrl(url) is { } urlError)
        {
            return (null, $"url: {urlError}");
        }

        if (Integer(body, "retries", DefaultRetries, 0, 100, out var retries) is { } retriesError)
        {
            return (null, retriesError);
        }

        if (Integer(body, "timeout", DefaultTimeoutMs, 100, 60_000, out var timeout) is { } timeoutError)
        {
            return (null, timeoutError);
        }

        FlowControl? limits = null;
        if (Given(body, FlowControlField.Name) is { ValueKind: not JsonValueKind.Null } flowControl)
        {
            (limits, var flowError) = FlowControlField.Parse(flowControl);
            if (limits is null)
            {
                return (null, flowError);
            }
        }

        return (new SpaceCloudTrigger(name, type, url, retries, timeout, limits), null);
    }

    public static (QueueRequest? Request, string? Error) ParseQueue(JsonElement body, DateTimeOffset now)
    {
        if (UnknownFields.In(body, QueueFields) is { } unknown)
        {
            return (null, unknown);
        }

        if (RequiredString(body, "type", out var type) is { } typeError)
        {
            return (null, typeError);
        }

        var delay = 0d;
        if (Given(body, "delay") is { } delayValue && (delayValue.ValueKind != JsonValueKind.Number || !delayValue.TryGetDouble(out delay) || !double.IsFinite(delay) || delay < 0))
        {
            return (null, "delay: must be a number of seconds >= 0");
        }

        DateTimeOffset? timestamp = null;
        if (Given(body, "timestamp") is { } timestampValue)
        {
            if (!ClientTime.TryParse(timestampValue, out var parsed))
            {
                return (null, "timestamp: must be milliseconds since the epoch (seconds below 1e11) or an ISO 8601 string");
            }

            timestamp = parsed;
        }

        var isSynchronous = false;
        if (Given(body, "isSynchronous") is { } syncValue)
        {
            if (syncValue.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return (null, "isSynchronous: must be true or false");
            }

            isSynchronous = syncValue.GetBoolean();
        }

        // As Eventd v1 events: due within 10 years, which also keeps the sum below DateTimeOffset's range.
        var baseTime = timestamp ?? now;
        var baseAhead = (baseTime - now).TotalSeconds;
        if (baseAhead > ScheduleSpec.MaxHorizon.TotalSeconds)
        {
            return (null, "timestamp: the event must be due within 10 years");
        }

        if (baseAhead + delay > ScheduleSpec.MaxHorizon.TotalSeconds)
        {
            return (null, "delay: the event must be due within 10 years");
        }

        var dataValue = Given(body, "data");
        var payloadValue = Given(body, "payload");
        if (dataValue is not null && payloadValue is not null)
        {
            return (null, "payload: give data or payload, not both");
        }

        var data = (dataValue ?? payloadValue)?.GetRawText();
        return (new QueueRequest(type, delay, timestamp, baseTime.AddSeconds(delay), data, isSynchronous), null);
    }

    /// <summary>
    /// Null when a queue request may be answered synchronously, else why not: it needs exactly one
    /// matching trigger and must be due now (no delay, no timestamp in the future).
    /// </summary>
    public static string? CheckSynchronous(QueueRequest request, int matchingTriggers, DateTimeOffset now)
    {
        if (request.Delay > 0)
        {
            return "delay: must be 0 for a synchronous event";
        }

        if (request.Timestamp > now)
        {
            return "timestamp: must not be in the future for a synchronous event";
        }

        return matchingTriggers == 1
            ? null
            : $"type: a synchronous event needs exactly one trigger of type '{request.Type}', the project has {matchingTriggers}";
    }

    /// <summary>A field's value, or null when it is absent or JSON null.</summary>
    private static JsonElement? Given(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;


    private static string? RequiredString(JsonElement body, string name, out string value)
    {
        value = "";
        if (Given(body, name) is not { } given)
        {
            return $"{name}: required";
        }

        if (given.ValueKind != JsonValueKind.String || given.GetString() is not { Length: > 0 } text)
        {
            return $"{name}: must be a non-empty string";
        }

        value = text;
        return null;
    }

    private static string? Integer(JsonElement body, string name, int fallback, int min, int max, out int value)
    {
        value = fallback;
        if (Given(body, name) is not { } given)
        {
            return null;
        }

        return JsonNumbers.TryGetWholeInt32(given, min, max, out value)
            ? null
            : $"{name}: must be an integer from {min} to {max}";
    }
}
