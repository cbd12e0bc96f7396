namespace Eventd.Grains.Interfaces;

/// <summary>One change of state of an event or a transaction: the state entered, the one left (null at first), when (ms) and by which key.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.HistoryEntry")]
public sealed record HistoryEntry(
    [property: Id(0)] string EnterState,
    [property: Id(1)] string? ExitState,
    [property: Id(2)] long Timestamp,
    [property: Id(3)] string? UpdatedBy);

/// <summary>Who an event belongs to, in the names this API has always used: the project, the key that emitted it.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.Ownership")]
public sealed record Ownership([property: Id(0)] string BuildableId, [property: Id(1)] string? UserId, [property: Id(2)] string? ClientId);

/// <summary>
/// The part of a logged event fixed when it is emitted: what was sent (name, payload as JSON text, the
/// request's query and headers), when, until when it is kept (<c>ttl</c>, ms) and whose it is.
/// </summary>
[GenerateSerializer, Immutable, Alias("Eventd.LoggedEvent")]
public sealed record LoggedEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Key,
    [property: Id(2)] string EventName,
    [property: Id(3)] string Environment,
    [property: Id(4)] string PayloadJson,
    [property: Id(5)] IReadOnlyDictionary<string, string> Query,
    [property: Id(6)] IReadOnlyDictionary<string, string> Headers,
    [property: Id(7)] long CreatedAt,
    [property: Id(8)] long Ttl,
    [property: Id(9)] Ownership Ownership);

/// <summary>
/// The transaction of one consumer (<c>txKey</c>) on one event: its state, history and, once closed, its
/// output (JSON text) and end. Kept as long as its event (same <c>ttl</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("Eventd.LoggedTransaction")]
public sealed record LoggedTransaction(
    [property: Id(0)] string Id,
    [property: Id(1)] string Key,
    [property: Id(2)] string Txn,
    [property: Id(3)] string EventId,
    [property: Id(4)] string EventName,
    [property: Id(5)] long CreatedAt,
    [property: Id(6)] long Ttl,
    [property: Id(7)] string State,
    [property: Id(8)] IReadOnlyList<HistoryEntry> History,
    [property: Id(9)] long StartedAt,
    [property: Id(10)] string TxKey,
    [property: Id(11)] long? EndedAt,
    [property: Id(12)] string? OutputJson);

/// <summary>A row's <c>processing</c>: how many transactions the event has and whether all have ended.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.ProcessingSummary")]
public sealed record ProcessingSummary(
    [property: Id(0)] bool HasTransactions,
    [property: Id(1)] int TotalTransactions,
    [property: Id(2)] bool HasFutureTransactions,
    [property: Id(3)] bool IsCompleted);

/// <summary>
/// An event as <c>/query</c> lists it and <c>/update</c> answers it: its fixed part, the state, history and
/// <c>v</c> its transactions give it, and its transactions' states by txKey (what a query re-checks).
/// </summary>
[GenerateSerializer, Immutable, Alias("Eventd.LoggedEventRow")]
public sealed record LoggedEventRow(
    [property: Id(0)] LoggedEvent Event,
    [property: Id(1)] string State,
    [property: Id(2)] IReadOnlyList<HistoryEntry> History,
    [property: Id(3)] long Version,
    [property: Id(4)] ProcessingSummary Processing,
    [property: Id(5)] IReadOnlyDictionary<string, string> TransactionStates);
