namespace Eventd.Grains.Interfaces;

/// <summary>
/// One logged event with its transactions (API.md section 5), keyed <c>{project}/{environment}/{eventKey}</c>
/// (<see cref="LoggedEventKey"/>): the only writer of its row and of its entries in its scope's query indexes.
/// Past its <c>ttl</c> it answers as if it had never been emitted.
/// </summary>
[Alias("Eventd.ILoggedEventGrain")]
public interface ILoggedEventGrain : IGrainWithStringKey
{
    /// <summary>Records the event unless it is recorded already; either way answers its row as stored.</summary>
    [Alias("Emit")]
    Task<LoggedEventRow> Emit(EventEmission emission);

    /// <summary>The row, or null when no such event is kept.</summary>
    [Alias("Get")]
    Task<LoggedEventRow?> Get();

    /// <summary>Opens the transaction of <paramref name="txKey"/> in <c>processing</c>, or answers the one already opened.</summary>
    [Alias("Init")]
    Task<TransactionAnswer> Init(string txKey, string? by);

    /// <summary>Closes an opened transaction; closing it again moves it again (a new state, output and end, one more history entry).</summary>
    [Alias("Transact")]
    Task<TransactionAnswer> Transact(string txKey, string state, string? outputJson, string? by);

    /// <summary>
    /// Sets a transaction's state, opening it in that state when absent (the same state again changes nothing),
    /// and answers the row; refused when <paramref name="eventName"/> is given and is not the event's.
    /// </summary>
    [Alias("Update")]
    Task<RowAnswer> Update(string? eventName, string txKey, string state, string? by);
}

/// <summary>What the emitting request brings: the event's name and payload (JSON text), the request's query and headers, the emitting key's name.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.EventEmission")]
public sealed record EventEmission(
    [property: Id(0)] string EventName,
    [property: Id(1)] string PayloadJson,
    [property: Id(2)] IReadOnlyDictionary<string, string> Query,
    [property: Id(3)] IReadOnlyDictionary<string, string> Headers,
    [property: Id(4)] string? By);

/// <summary>Why a change to a logged event was refused.</summary>
[GenerateSerializer, Alias("Eventd.EventLogRefusal")]
public enum EventLogRefusal
{
    None = 0,

    /// <summary>No such event is kept.</summary>
    NoEvent = 1,

    /// <summary>The event has no transaction for the txKey.</summary>
    NoTransaction = 2,

    /// <summary>The event is named otherwise than the request said (the row tells its name).</summary>
    OtherName = 3,
}

[GenerateSerializer, Immutable, Alias("Eventd.TransactionAnswer")]
public sealed record TransactionAnswer([property: Id(0)] LoggedTransaction? Transaction, [property: Id(1)] EventLogRefusal Refusal);

[GenerateSerializer, Immutable, Alias("Eventd.RowAnswer")]
public sealed record RowAnswer([property: Id(0)] LoggedEventRow? Row, [property: Id(1)] EventLogRefusal Refusal);

/// <summary>The key of a <see cref="ILoggedEventGrain"/>: scope names escaped, so the two '/' split it and no name reaches another scope.</summary>
public static class LoggedEventKey
{
    public static string Of(string project, string environment, string eventKey) =>
        $"{Uri.EscapeDataString(project)}/{Uri.EscapeDataString(environment)}/{eventKey}";
}
