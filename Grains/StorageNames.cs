namespace Eventd.Grains;

public static class StorageNames
{
    /// <summary>The grain storage every Eventd grain persists to (Redis in a silo).</summary>
    public const string Default = "eventd";

    /// <summary>
    /// The storage of <c>Idempotency-Key</c> records: as <see cref="Default"/>, but each entry expires
    /// <see cref="IdempotencyRetention"/> after its last write, as API.md keeps a key's response 24 h.
    /// </summary>
    public const string Idempotency = "idempotency";

    /// <summary>
    /// The storage of the event log's grains: as <see cref="Default"/>, but each entry expires the retention
    /// after its last write, so events nobody asks about again still leave.
    /// </summary>
    public const string EventLog = "eventlog";

    public static readonly TimeSpan IdempotencyRetention = TimeSpan.FromHours(24);
}
