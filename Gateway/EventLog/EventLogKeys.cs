using StackExchange.Redis;

namespace Eventd.Gateway.EventLog;

/// <summary>
/// Where one project and environment's event log lives in Redis: a hash per event (its JSON parts and
/// transactions) and sorted sets of event keys scored by creation time (ms) that queries combine.
/// </summary>
public sealed class EventLogKeys(string serviceId, EventLogScope scope)
{
    /// <summary>The state under <see cref="Transactions"/> whose set holds every event with a transaction for the txKey, in any state.</summary>
    public const string AnyState = "any";

    // The braces are a Redis Cluster hash tag: all keys of one project and environment share a slot, so a
    // query may combine its sets and a write may change them in one MULTI. Escaping keeps '/' and braces
    // in a name from reaching another scope's keys.
    private readonly string _prefix = $"{serviceId}/eventlog/{{{Uri.EscapeDataString(scope.Project)}/{Uri.EscapeDataString(scope.Environment)}}}";

    public RedisKey Event(string key) => $"{_prefix}/event/{key}";

    /// <summary>
    /// Which project and environment an event was emitted in, by its key alone (outside any scope's slot),
    /// so a key of another project hears 403 rather than 404 and the admin key reaches every project.
    /// </summary>
    public static RedisKey Owner(string serviceId, string eventKey) => $"{serviceId}/eventlog/owner/{eventKey}";

    /// <summary>The value of <see cref="Owner"/>: project and environment, escaped, so the one '/' splits them.</summary>
    public static string OwnerValue(EventLogScope scope) => $"{Uri.EscapeDataString(scope.Project)}/{Uri.EscapeDataString(scope.Environment)}";

    public static (string Project, string Environment)? ParseOwner(string value) =>
        value.Split('/') is [var project, var environment]
            ? (Uri.UnescapeDataString(project), Uri.UnescapeDataString(environment))
            : null;

    /// <summary>Every event of the scope.</summary>
    public RedisKey ByTime => $"{_prefix}/by-time";

    /// <summary>The events named <paramref name="eventName"/> exactly.</summary>
    public RedisKey ByName(string eventName) => $"{_prefix}/by-name/{eventName}";

    /// <summary>
    /// The events whose transaction for <paramref name="txKey"/> is in <paramref name="state"/> (or <see cref="AnyState"/>).
    /// The state comes last, so no txKey can make one state's key another's.
    /// </summary>
    public RedisKey Transactions(string txKey, string state) => $"{_prefix}/tx/{txKey}/{state}";

    /// <summary>A key for one query's combined set, deleted in the same MULTI that writes it.</summary>
    public RedisKey Temporary() => $"{_prefix}/query/{Guid.NewGuid():N}";
}
