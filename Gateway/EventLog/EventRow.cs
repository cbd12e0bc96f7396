using System.Text.Json;
using System.Text.Json.Serialization;

namespace Eventd.Gateway.EventLog;

/// <summary>An event as <c>/query</c> lists it and <c>/update</c> answers it (API.md section 5); times in ms since the epoch.</summary>
public sealed record EventRow(
    [property: JsonPropertyName("_id")] string Id,
    string Key,
    string EventName,
    string Environment,
    JsonElement Payload,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    long CreatedAt,
    string State,
    IReadOnlyList<HistoryEntry> History,
    long Ttl,
    long V,
    Ownership Ownership,
    ProcessingSummary Processing);
