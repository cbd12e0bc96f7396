using Eventd.Grains.Indexes;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Eventd.Grains.Retention;

/// <summary>
/// Removes the list entries of events past their retention. A sorted-set member cannot expire by itself,
/// so a settled event is entered in its shard's due clean-ups (<see cref="StatusIndexKeys.Expiring"/>) by
/// the transition that settles it; a step here takes the due ones, at most a batch, and removes them from
/// the creation lists of before (<see cref="EventIndexKeys"/>), then from the status sets and the due
/// clean-ups in one script. A step cut short
/// leaves them due, so the next one finishes it; the event's state has expired by itself meanwhile.
/// </summary>
public sealed class ExpiringEvents(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster)
{
    // KEYS: a transition's (StatusIndexKeys.Transition): the status sets, then the due clean-ups.
    // ARGV: now (Unix ms), the project, the event ids. An event un-settled since it was read (an update,
    // a redelivery) left the due clean-ups then: it keeps its entries.
    private const string Script = """
        local expiring = KEYS[#KEYS]
        for i = 3, #ARGV do
          local member = ARGV[2] .. '/' .. ARGV[i]
          local due = redis.call('ZSCORE', expiring, member)
          if due and tonumber(due) <= tonumber(ARGV[1]) then
            for k = 1, #KEYS - 1 do
              redis.call('ZREM', KEYS[k], ARGV[i])
            end
            redis.call('ZREM', expiring, member)
          end
        end
        return 0
        """;

    private readonly string _serviceId = cluster.Value.ServiceId;

    /// <summary>Removes the entries of up to <paramref name="limit"/> events of <paramref name="shard"/> due by <paramref name="now"/>; returns how many were due.</summary>
    public async Task<int> SweepAsync(int shard, DateTimeOffset now, int limit)
    {
        var db = redis.GetDatabase();
        var nowMs = now.ToUnixTimeMilliseconds();
        var due = await db.SortedSetRangeByScoreAsync(StatusIndexKeys.Expiring(_serviceId, shard), double.NegativeInfinity, nowMs, take: limit);
        var byProject = due
            .Select(member => member.ToString())
            .Select(member => (Project: member[..member.LastIndexOf('/')], Id: (RedisValue)member[(member.LastIndexOf('/') + 1)..]))
            .GroupBy(entry => entry.Project, entry => entry.Id);
        await Task.WhenAll(byProject.Select(async project =>
        {
            RedisValue[] ids = [.. project];
            await Task.WhenAll(
                db.SortedSetRemoveAsync(EventIndexKeys.ByCreation(_serviceId, project.Key), ids),
                db.SortedSetRemoveAsync(EventIndexKeys.EveryProject(_serviceId, shard), ids));
            await db.ScriptEvaluateAsync(
                Script,
                [.. StatusIndexKeys.Transition(_serviceId, project.Key, shard).Select(key => (RedisKey)key)],
                [nowMs, project.Key, .. ids]);
        }));
        return due.Length;
    }
}
