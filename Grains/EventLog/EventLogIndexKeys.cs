namespace Eventd.Grains.EventLog;

/// <summary>
/// Where one project and environment's query indexes live in Redis: sorted sets of event keys scored by
/// creation time (ms) that a query combines.
/// </summary>
public sealed class EventLogIndexKeys(string serviceId, string project, string environment)
{
    /// <summary>The state under <see cref="Transactions"/> whose set holds every event with a transaction for the txKey, in any state.</summary>
    public const string AnyState = "any";

    // The braces are a Redis Cluster hash tag: all sets of one project and environment share a slot, so a
    // query may combine them and a write may change several in one MULTI. Escaping keeps '/' and braces
    // in a name from reaching another scope's keys.
    private readonly string _prefix = $"{serviceId}/eventlog/{{{Uri.EscapeDataString(project)}/{Uri.EscapeDataString(environment)}}}";

    /// <summary>Every event of the scope.</summary>
    public string ByTime => $"{_prefix}/by-time";

    /// <summary>The events named <paramref name="eventName"/> exactly.</summary>
    public string ByName(string eventName) => $"{_prefix}/by-name/{eventName}";

    /// <summary>
    /// The events whose transaction for <paramref name="txKey"/> is in <paramref name="state"/> (or <see cref="AnyState"/>).
    /// The state comes last, so no txKey can make one state's key another's.
    /// </summary>
    public string Transactions(string txKey, string state) => $"{_prefix}/tx/{txKey}/{state}";

    /// <summary>A key for one query's combined set, deleted in the same MULTI that writes it.</summary>
    public string Temporary() => $"{_prefix}/query/{Guid.NewGuid():N}";
}
