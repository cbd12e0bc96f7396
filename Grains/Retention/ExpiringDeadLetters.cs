using Eventd.Grains.Indexes;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Options;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Eventd.Grains.Retention;

/// <summary>
/// Removes dead letters past their retention from the dead-letter indexes (<see cref="DeadLetterKeys"/>),
/// which are scored by failure time: a step takes the oldest, at most a batch per index, from a shard of
/// every project's and from the indexes of the projects that fall in that shard, each index in one script
/// (its sorted set and its entries share a hash tag).
/// </summary>
public sealed class ExpiringDeadLetters(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster, IOptions<RetentionOptions> retention)
{
    // KEYS: an index's sorted set, then its entries. ARGV: the cut-off (Unix ms), the batch.
    private const string Script = """
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
        if #due > 0 then
          redis.call('ZREM', KEYS[1], unpack(due))
          redis.call('HDEL', KEYS[2], unpack(due))
        end
        return #due
        """;

    private readonly string _serviceId = cluster.Value.ServiceId;

    /// <summary>Removes up to <paramref name="limit"/> expired dead letters from each index of <paramref name="shard"/>; returns the most any index had due.</summary>
    public async Task<int> SweepAsync(int shard, DateTimeOffset now, int limit)
    {
        var db = redis.GetDatabase();
        var failedBy = (now - RetentionRule.Keep(deadLettered: true, retention.Value)).ToUnixTimeMilliseconds();
        var projects = await db.SetMembersAsync(DeadLetterKeys.Projects(_serviceId));
        DeadLetterKeys[] indexes =
        [
            DeadLetterKeys.EveryProject(_serviceId, shard),
            .. projects.Select(p => p.ToString()).Where(p => IdShards.Of(p) == shard).Select(p => DeadLetterKeys.Project(_serviceId, p)),
        ];
        var removed = await Task.WhenAll(indexes.Select(async keys =>
            (int)await db.ScriptEvaluateAsync(Script, [keys.ByTime, keys.Entries], [failedBy, limit])));
        return removed.Max();
    }
}
