using System.Text.Json;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Eventd.Grains.Delivery;

/// <summary>Writes and clears a project's dead letters (see <see cref="DeadLetterKeys"/>).</summary>
public sealed class DeadLetterIndex(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _serviceId = cluster.Value.ServiceId;

    public async Task AddAsync(string project, string deliveryKey, DeadLetter entry)
    {
        var transaction = redis.GetDatabase().CreateTransaction();
        _ = transaction.SortedSetAddAsync(DeadLetterKeys.ByTime(_serviceId, project), deliveryKey, entry.FailedAt.ToUnixTimeMilliseconds());
        _ = transaction.HashSetAsync(DeadLetterKeys.Entries(_serviceId, project), deliveryKey, JsonSerializer.Serialize(entry, Json));
        await transaction.ExecuteAsync();
    }

    public async Task RemoveAsync(string project, string deliveryKey)
    {
        var transaction = redis.GetDatabase().CreateTransaction();
        _ = transaction.SortedSetRemoveAsync(DeadLetterKeys.ByTime(_serviceId, project), deliveryKey);
        _ = transaction.HashDeleteAsync(DeadLetterKeys.Entries(_serviceId, project), deliveryKey);
        await transaction.ExecuteAsync();
    }
}
