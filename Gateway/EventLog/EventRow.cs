using System.Text.Json;
using System.Text.Json.Serialization;
using Eventd.Grains.Interfaces;

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
    ProcessingSummary Processing)
{
    public static EventRow Of(LoggedEventRow row) => new(
        row.Event.Id,
        row.Event.Key,
        row.Event.EventName,
        row.Event.Environment,
        JsonText.Parse(row.Event.PayloadJson),
        row.Event.Query,
        row.Event.Headers,
        row.Event.CreatedAt,
        row.State,
        row.History,
        row.Event.Ttl,
        row.Version,
        row.Event.Ownership,
        row.Processing);
}
