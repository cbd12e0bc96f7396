using Eventd.Grains.Indexes;
using System.Text.Json;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Eventd.Grains.Delivery;

/// <summary>
/// Writes and clears a project's dead letters (see <see cref="DeadLetterKeys"/>) in its index and in
/// its shard of every project's. Each index is its own MULTI: a MULTI must stay in one Redis Cluster
/// slot, and the two indexes are in two.
/// </summary>
public sealed class DeadLetterIndex(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _serviceId = cluster.Value.ServiceId;

    /// <summary>A dead letter as its index entry holds it (camelCase JSON); the lists read it back so.</summary>
    public static DeadLetter Decode(RedisValue entry) => JsonSerializer.Deserialize<DeadLetter>(entry.ToString(), Json)!;

    public Task AddAsync(string project, string deliveryKey, DeadLetter entry)
    {
        var json = JsonSerializer.Serialize(entry, Json);
        var indexing = IndexesOf(project, deliveryKey).Select(keys =>
        {
            var transaction = redis.GetDatabase().CreateTransaction();
            _ = transaction.SortedSetAddAsync(keys.ByTime, deliveryKey, entry.FailedAt.ToUnixTimeMilliseconds());
            _ = transaction.HashSetAsync(keys.Entries, deliveryKey, json);
            return transaction.ExecuteAsync();
        });
        return Task.WhenAll(indexing.Append(redis.GetDatabase().SetAddAsync(DeadLetterKeys.Projects(_serviceId), project)));
    }

    public Task RemoveAsync(string project, string deliveryKey) =>
        Task.WhenAll(IndexesOf(project, deliveryKey).Select(keys =>
        {
            var transaction = redis.GetDatabase().CreateTransaction();
            _ = transaction.SortedSetRemoveAsync(keys.ByTime, deliveryKey);
            _ = transaction.HashDeleteAsync(keys.Entries, deliveryKey);
            return transaction.ExecuteAsync();
        }));

    private DeadLetterKeys[] IndexesOf(string project, string deliveryKey) =>
        [DeadLetterKeys.Project(_serviceId, project), DeadLetterKeys.EveryProject(_serviceId, IdShards.Of(deliveryKey))];
}
