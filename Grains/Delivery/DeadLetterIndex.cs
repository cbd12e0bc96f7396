using System.Text.Json;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Eventd.Grains.Delivery;

/// <summary>Writes and clears a project's dead letters (see <see cref="DeadLetterKeys"/>), in its index and in every project's.</summary>
public sealed class DeadLetterIndex(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _serviceId = cluster.Value.ServiceId;

    public async Task AddAsync(string project, string deliveryKey, DeadLetter entry)
    {
        var transaction = redis.GetDatabase().CreateTransaction();
        var json = JsonSerializer.Serialize(entry, Json);
        foreach (var indexed in DeadLetterKeys.IndexedUnder(project))
        {
            _ = transaction.SortedSetAddAsync(DeadLetterKeys.ByTime(_serviceId, indexed), deliveryKey, entry.FailedAt.ToUnixTimeMilliseconds());
            _ = transaction.HashSetAsync(DeadLetterKeys.Entries(_serviceId, indexed), deliveryKey, json);
        }

        await transaction.ExecuteAsync();
    }

    public async Task RemoveAsync(string project, string deliveryKey)
    {
        var transaction = redis.GetDatabase().CreateTransaction();
        foreach (var indexed in DeadLetterKeys.IndexedUnder(project))
        {
            _ = transaction.SortedSetRemoveAsync(DeadLetterKeys.ByTime(_serviceId, indexed), deliveryKey);
            _ = transaction.HashDeleteAsync(DeadLetterKeys.Entries(_serviceId, indexed), deliveryKey);
        }

        await transaction.ExecuteAsync();
    }
}
