namespace Eventd.Gateway.EventLog;

/// <summary>One change of state of an event or a transaction: the state entered, the one left (null at first), when (ms) and by which key.</summary>
public sealed record HistoryEntry(string EnterState, string? ExitState, long Timestamp, string? UpdatedBy);
