using Eventd.Grains.Interfaces;

namespace Eventd.Grains.EventLog;

/// <summary>An event's row: its fixed part with the state, history and version its transactions give it.</summary>
public static class LoggedEventRows
{
    public static LoggedEventRow Of(LoggedEvent loggedEvent, IReadOnlyCollection<LoggedTransaction> transactions)
    {
        var progress = EventProgress.Of(loggedEvent, transactions);
        return new LoggedEventRow(
            loggedEvent,
            progress.State,
            progress.History,
            progress.Version,
            EventProgress.Summary([.. transactions.Select(t => t.State)]),
            transactions.ToDictionary(t => t.TxKey, t => t.State, StringComparer.Ordinal));
    }
}
