using Eventd.Grains.Indexes;
using Eventd.Grains.Interfaces.Options;
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
/// A new event's status entries therefore need no clean-up of an older event's removed when it is written.
/// </summary>
public sealed class ExpiringEvents(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster, IOptions<RetentionOptions> retention)
{
    // KEYS: a transition's (StatusIndexKeys.Transition): the status sets, then the due clean-ups.
    // ARGV: now (Unix ms), the margin (µs), the project, the event ids. An event un-settled since it was
    // read (an update, a redelivery) left the due clean-ups then: it keeps its entries. Only entries of an
    // event created well before its expiry go: an event created since under the same id (an id made from
    // an Idempotency-Key, once the old state expired) is newer than the expiry, and keeps its entries.
    private const string Script = """
        local expiring = KEYS[#KEYS]
        for i = 4, #ARGV do
          local member = ARGV[3] .. '/' .. ARGV[i]
          local due = redis.call('ZSCORE', expiring, member)
          if due and tonumber(due) <= tonumber(ARGV[1]) then
            local createdBefore = tonumber(due) * 1000 - tonumber(ARGV[2])
            for k = 1, #KEYS - 1 do
              local created = redis.call('ZSCORE', KEYS[k], ARGV[i])
              if created and tonumber(created) < createdBefore then
                redis.call('ZREM', KEYS[k], ARGV[i])
              end
            end
            redis.call('ZREM', expiring, member)
          end
        end
        return 0
        """;

    /// <summary>
    /// How much older than its expiry an entry must be to go with it. An event expires its retention after
    /// it settled, so the expired one was created at least that long before; one created again under its
    /// id was created after it (give or take the clocks of the silos, trusted to within a minute).
    /// </summary>
    private double MarginMicroseconds =>
        Math.Min(retention.Value.Settled.TotalMicroseconds / 2, TimeSpan.FromMinutes(1).TotalMicroseconds);

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
                [nowMs, MarginMicroseconds, project.Key, .. ids]);
        }));
        return due.Length;
    }
}
