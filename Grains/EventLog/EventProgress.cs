using Eventd.Grains.Interfaces;

namespace Eventd.Grains.EventLog;

/// <summary>
/// An event's <c>state</c>, <c>history</c> and <c>v</c>, derived from its transactions rather than stored, so
/// that consumers changing different transactions of one event never contend for one record: the history
/// replays every transaction's changes in time order (each transaction's own in its order) and records
/// each change of the event's state they cause; <c>v</c> is 1 plus the number of transaction changes.
/// </summary>
public sealed record EventProgress(string State, IReadOnlyList<HistoryEntry> History, long Version)
{
    public static EventProgress Of(LoggedEvent loggedEvent, IEnumerable<LoggedTransaction> transactions)
    {
        var state = EventStates.Created;
        var history = new List<HistoryEntry> { new(state, null, loggedEvent.CreatedAt, loggedEvent.Ownership.UserId) };
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        var changes = 0L;
        foreach (var (txKey, change) in InTimeOrder(transactions))
        {
            changes++;
            states[txKey] = change.EnterState;
            var next = EventStates.Of(states.Values);
            if (next != state)
            {
                history.Add(new HistoryEntry(next, state, change.Timestamp, change.UpdatedBy));
                state = next;
            }
        }

        return new EventProgress(state, history, 1 + changes);
    }

    /// <summary>A row's <c>processing</c>: how many transactions the event has and whether all have ended.</summary>
    public static ProcessingSummary Summary(IReadOnlyCollection<string> transactionStates) => new(
        transactionStates.Count > 0,
        transactionStates.Count,
        HasFutureTransactions: false,
        transactionStates.Count > 0 && transactionStates.All(EventStates.HasEnded));

    /// <summary>
    /// Merges the transactions' histories by timestamp, never reordering one transaction's own. Changes in the
    /// same millisecond go by their place in their own history, then by txKey: consumers that all open and
    /// then all close within one millisecond read as opened together, then closed together.
    /// </summary>
    private static IEnumerable<(string TxKey, HistoryEntry Change)> InTimeOrder(IEnumerable<LoggedTransaction> transactions)
    {
        var pending = transactions.Where(t => t.History.Count > 0).Select(t => (t.TxKey, t.History, Next: 0)).ToList();
        while (pending.Count > 0)
        {
            var first = 0;
            for (var i = 1; i < pending.Count; i++)
            {
                if (ComesFirst(pending[i], pending[first]))
                {
                    first = i;
                }
            }

            var (txKey, history, next) = pending[first];
            yield return (txKey, history[next]);
            if (next + 1 < history.Count)
            {
                pending[first] = (txKey, history, next + 1);
            }
            else
            {
                pending.RemoveAt(first);
            }
        }
    }

    private static bool ComesFirst((string TxKey, IReadOnlyList<HistoryEntry> History, int Next) candidate, (string TxKey, IReadOnlyList<HistoryEntry> History, int Next) best)
    {
        var (at, bestAt) = (candidate.History[candidate.Next].Timestamp, best.History[best.Next].Timestamp);
        return at != bestAt ? at < bestAt
            : candidate.Next != best.Next ? candidate.Next < best.Next
            : string.CompareOrdinal(candidate.TxKey, best.TxKey) < 0;
    }
}
