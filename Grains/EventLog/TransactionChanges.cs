using Eventd.Grains.Interfaces;

namespace Eventd.Grains.EventLog;

/// <summary>How a transaction is opened and moved: each change one more history entry.</summary>
public static class TransactionChanges
{
    public static LoggedTransaction Open(LoggedEvent loggedEvent, string txKey, string state, long at, string? by) => new(
        EventLogIds.NewObjectId(at),
        loggedEvent.Key,
        EventLogIds.NewKey(),
        loggedEvent.Id,
        loggedEvent.EventName,
        at,
        loggedEvent.Ttl,
        state,
        [new HistoryEntry(state, null, at, by)],
        at,
        txKey,
        EventStates.HasEnded(state) ? at : null,
        null);

    /// <summary>In <paramref name="state"/> from <paramref name="at"/>: ended then if it is finished or failed, open again if processing.</summary>
    public static LoggedTransaction MoveTo(this LoggedTransaction transaction, string state, long at, string? by) => transaction with
    {
        State = state,
        History = [.. transaction.History, new HistoryEntry(state, transaction.State, at, by)],
        EndedAt = EventStates.HasEnded(state) ? at : null,
    };
}
