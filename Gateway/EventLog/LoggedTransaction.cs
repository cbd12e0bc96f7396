using System.Text.Json;
using System.Text.Json.Serialization;

namespace Eventd.Gateway.EventLog;

/// <summary>The event a transaction belongs to, as a transaction shows it.</summary>
public sealed record TransactionEvent([property: JsonPropertyName("_id")] string Id, string EventName);

/// <summary>
/// The transaction of one consumer (<c>txKey</c>) on one event: its state, history and, once closed, its
/// output and end. Kept as long as its event (same <c>ttl</c>). Stored and answered as this JSON.
/// </summary>
public sealed record LoggedTransaction(
    [property: JsonPropertyName("_id")] string Id,
    string Key,
    string Txn,
    TransactionEvent Event,
    long CreatedAt,
    long Ttl,
    string State,
    IReadOnlyList<HistoryEntry> History,
    long StartedAt,
    string TxKey,
    long? EndedAt,
    JsonElement? Output)
{
    public static LoggedTransaction Open(LoggedEvent loggedEvent, string txKey, string state, long at, string? by) => new(
        EventLogIds.NewObjectId(at),
        loggedEvent.Key,
        EventLogIds.NewKey(),
        new TransactionEvent(loggedEvent.Id, loggedEvent.EventName),
        at,
        loggedEvent.Ttl,
        state,
        [new HistoryEntry(state, null, at, by)],
        at,
        txKey,
        EventStates.HasEnded(state) ? at : null,
        null);

    /// <summary>In <paramref name="state"/> from <paramref name="at"/>: ended then if it is finished or failed, open again if processing.</summary>
    public LoggedTransaction MoveTo(string state, long at, string? by) => this with
    {
        State = state,
        History = [.. History, new HistoryEntry(state, State, at, by)],
        EndedAt = EventStates.HasEnded(state) ? at : null,
    };
}
