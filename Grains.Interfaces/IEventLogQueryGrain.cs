namespace Eventd.Grains.Interfaces;

/// <summary>Reads one scope's event log by its query indexes: a page of rows, newest first, and how many the query keeps.</summary>
[Alias("Eventd.IEventLogQueryGrain")]
public interface IEventLogQueryGrain : IGrainWithIntegerKey
{
    [Alias("Query")]
    Task<EventLogPage> Query(EventLogQuery query);
}

/// <summary>
/// <see cref="Name"/> is the exact event name kept, null for every name; <see cref="TxState"/> needs
/// <see cref="TxKey"/> (<see cref="EventStates.DoesNotExist"/> keeps events without its transaction), and without
/// it a txKey keeps events with a transaction for it in any state. <see cref="SinceMs"/>: the oldest creation time kept.
/// </summary>
[GenerateSerializer, Immutable, Alias("Eventd.EventLogQuery")]
public sealed record EventLogQuery(
    [property: Id(0)] string Project,
    [property: Id(1)] string Environment,
    [property: Id(2)] string? Name,
    [property: Id(3)] long? SinceMs,
    [property: Id(4)] string? TxKey,
    [property: Id(5)] string? TxState,
    [property: Id(6)] int Page,
    [property: Id(7)] int PageSize);

[GenerateSerializer, Immutable, Alias("Eventd.EventLogPage")]
public sealed record EventLogPage([property: Id(0)] IReadOnlyList<LoggedEventRow> Rows, [property: Id(1)] long Total);
