using System.Text.Json;
using StackExchange.Redis;

namespace Eventd.Gateway.EventLog;

/// <summary>
/// A logged event as its Redis hash holds it: the field <c>event</c> (the fixed part, JSON) and a field
/// <c>tx:{txKey}</c> per transaction (JSON). Each transaction is its own field, written on its own, so
/// consumers of one event do not overwrite each other.
/// </summary>
public sealed record StoredEvent(LoggedEvent Event, IReadOnlyDictionary<string, LoggedTransaction> Transactions)
{
    public const string EventField = "event";

    private const string TransactionPrefix = "tx:";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string TransactionField(string txKey) => TransactionPrefix + txKey;

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);

    /// <summary>The event read back, or null when its hash is gone (never emitted, or expired).</summary>
    public static StoredEvent? Read(HashEntry[] fields)
    {
        var loggedEvent = fields.FirstOrDefault(f => f.Name == EventField);
        if (loggedEvent.Value.IsNull)
        {
            return null;
        }

        var transactions = fields
            .Where(f => f.Name.StartsWith(TransactionPrefix))
            .ToDictionary(f => f.Name.ToString()[TransactionPrefix.Length..], f => Parse<LoggedTransaction>(f.Value), StringComparer.Ordinal);
        return new StoredEvent(Parse<LoggedEvent>(loggedEvent.Value), transactions);
    }

    public StoredEvent With(LoggedTransaction transaction) =>
        this with { Transactions = new Dictionary<string, LoggedTransaction>(Transactions, StringComparer.Ordinal) { [transaction.TxKey] = transaction } };

    public EventRow ToRow()
    {
        var progress = EventProgress.Of(Event, Transactions.Values);
        return new EventRow(
            Event.Id,
            Event.Key,
            Event.EventName,
            Event.Environment,
            Event.Payload,
            Event.Query,
            Event.Headers,
            Event.CreatedAt,
            progress.State,
            progress.History,
            Event.Ttl,
            progress.Version,
            Event.Ownership,
            ProcessingSummary.Of(Transactions.Values.Select(t => t.State).ToList()));
    }

    private static T Parse<T>(RedisValue json) => JsonSerializer.Deserialize<T>(json.ToString(), Json)!;
}
