using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Eventd.Gateway.Http;
using Eventd.Grains.Interfaces;

namespace Eventd.Gateway.Endpoints;

/// <summary>
/// The bodies of the endpoint-health and bulk-redrive routes (API.md "Endpoint health", "Bulk redrive"),
/// checked here: unknown fields and bad values are refused with the field named first.
/// </summary>
public static class EndpointHealthRequests
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 10_000;

    private static readonly string[] RedriveFields = ["url", "since", "until", "limit"];
    private static readonly string[] EnableFields = ["origin"];

    private const string TimeRule = "must be milliseconds since the epoch (seconds below 1e11) or an ISO 8601 string";

    public static (DeadLetterSelection? Selection, string? Error) ParseRedrive(JsonElement body)
    {
        if (UnknownFields.In(body, RedriveFields) is { } unknown)
        {
            return (null, unknown);
        }

        string? prefix = null;
        DateTimeOffset? since = null, until = null;
        var limit = DefaultLimit;
        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "url" when value.ValueKind == JsonValueKind.String:
                    prefix = value.GetString();
                    break;
                case "url":
                    return (null, "url: must be a string, the prefix of the dead letters' url");
                case "since" when ClientTime.TryParse(value, out var from):
                    since = from;
                    break;
                case "until" when ClientTime.TryParse(value, out var to):
                    until = to;
                    break;
                case "since" or "until":
                    return (null, $"{property.Name}: {TimeRule}");
                case "limit" when JsonNumbers.TryGetWholeInt32(value, 1, MaxLimit, out var n):
                    limit = n;
                    break;
                default:
                    return (null, $"limit: must be an integer from 1 to {MaxLimit}");
            }
        }

        return since > until
            ? (null, "until: must not be before since")
            : (new DeadLetterSelection(prefix, since, until, limit), null);
    }

    /// <summary>The origin to enable, written as <see cref="EndpointOrigin"/> writes it (any URL of the endpoint names it).</summary>
    public static (string? Origin, string? Error) ParseEnable(JsonElement body)
    {
        if (UnknownFields.In(body, EnableFields) is { } unknown)
        {
            return (null, unknown);
        }

        if (!body.TryGetProperty("origin", out var value))
        {
            return (null, "origin: required");
        }

        return value.ValueKind == JsonValueKind.String && EndpointOrigin.Of(value.GetString()) is { } origin
            ? (origin, null)
            : (null, "origin: must be an http(s) origin, scheme://host:port");
    }
}

/// <summary>The body of <c>POST /eventd/v1/deadletters/redeliver</c>, as the OpenAPI document describes it.</summary>
public sealed record RedriveBody
{
    [Description("Redeliver dead letters whose url starts with this.")]
    public string? Url { get; init; }

    [Description("Failed at or after: milliseconds since the epoch (seconds below 1e11) or ISO 8601.")]
    public JsonNode? Since { get; init; }

    [Description("Failed at or before: milliseconds since the epoch (seconds below 1e11) or ISO 8601.")]
    public JsonNode? Until { get; init; }

    [Description("At most this many, newest first: 1 to 10000, default 1000.")]
    public int? Limit { get; init; }
}

/// <summary>The body of <c>POST /eventd/v1/endpoints/enable</c>.</summary>
public sealed record EnableEndpointBody([property: Description("scheme://host:port, as listed.")] string Origin);
