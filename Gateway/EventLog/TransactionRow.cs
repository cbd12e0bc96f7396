using System.Text.Json;
using System.Text.Json.Serialization;
using Eventd.Grains.Interfaces;

namespace Eventd.Gateway.EventLog;

/// <summary>The event a transaction belongs to, as a transaction shows it.</summary>
public sealed record TransactionEvent([property: JsonPropertyName("_id")] string Id, string EventName);

/// <summary>A transaction as <c>/init</c> and <c>/transact</c> answer it (API.md section 5); times in ms since the epoch.</summary>
public sealed record TransactionRow(
    [property: JsonPropertyName("_id")] string Id,
    string Key,
    string Txn,
    TransactionEvent Event,
    long CreatedAt,
    long Ttl,
    string State,
    IReadOnlyList<HistoryEntry> History,
    long StartedAt,
    string TxKey,
    long? EndedAt,
    JsonElement? Output)
{
    public static TransactionRow Of(LoggedTransaction transaction) => new(
        transaction.Id,
        transaction.Key,
        transaction.Txn,
        new TransactionEvent(transaction.EventId, transaction.EventName),
        transaction.CreatedAt,
        transaction.Ttl,
        transaction.State,
        transaction.History,
        transaction.StartedAt,
        transaction.TxKey,
        transaction.EndedAt,
        transaction.OutputJson is { } output ? JsonText.Parse(output) : null);
}
