using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Eventd.Grains.Buckets;

/// <summary>
/// The members of each time bucket: a Redis sorted set per bucket, member the event id, score the
/// time (ms) the event next needs waking. Durable, so a bucket woken on another silo after a
/// failover finds every event it holds.
/// </summary>
public sealed class BucketStore(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster)
{
    private readonly string _serviceId = cluster.Value.ServiceId;

    private IDatabase Db => redis.GetDatabase();

    public RedisKey Key(BucketId bucket) => $"{_serviceId}/buckets/{bucket}";

    public Task AddAsync(BucketId bucket, string eventId, DateTimeOffset wakeAt) =>
        Db.SortedSetAddAsync(Key(bucket), eventId, wakeAt.ToUnixTimeMilliseconds());

    /// <summary>Adds many members to one bucket in one command.</summary>
    public Task AddAsync(BucketId bucket, IEnumerable<(string EventId, DateTimeOffset WakeAt)> members) =>
        Db.SortedSetAddAsync(Key(bucket), members.Select(m => new SortedSetEntry(m.EventId, m.WakeAt.ToUnixTimeMilliseconds())).ToArray());

    public Task RemoveAsync(BucketId bucket, string eventId) => Db.SortedSetRemoveAsync(Key(bucket), eventId);

    /// <summary>Members whose wake-up time is after <paramref name="afterMs"/> (exclusive) and up to <paramref name="untilMs"/>.</summary>
    public async Task<(string EventId, double WakeAtMs)[]> RangeAsync(BucketId bucket, double afterMs, double untilMs, int take = -1)
    {
        var entries = await Db.SortedSetRangeByScoreWithScoresAsync(Key(bucket), afterMs, untilMs, Exclude.Start, take: take);
        return Array.ConvertAll(entries, e => (e.Element.ToString(), e.Score));
    }

    public Task<long> CountAsync(BucketId bucket) => Db.SortedSetLengthAsync(Key(bucket));
}
