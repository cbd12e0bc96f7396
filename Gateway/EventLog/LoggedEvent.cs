using System.Text.Json;
using System.Text.Json.Serialization;

namespace Eventd.Gateway.EventLog;

/// <summary>Who an event belongs to, in the names this API has always used: the project, the key that emitted it.</summary>
public sealed record Ownership(string BuildableId, string? UserId, string? ClientId);

/// <summary>
/// The part of a logged event fixed when it is emitted: what was sent (name, payload, the request's query
/// and headers), when, until when it is kept (<c>ttl</c>, ms) and whose it is. Stored as JSON.
/// </summary>
public sealed record LoggedEvent(
    [property: JsonPropertyName("_id")] string Id,
    string Key,
    string EventName,
    string Environment,
    JsonElement Payload,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    long CreatedAt,
    long Ttl,
    Ownership Ownership);
