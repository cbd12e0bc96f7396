using Eventd.Grains.Batching;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Eventd.Grains.Buckets;

/// <summary>
/// The members of each time bucket: a Redis sorted set per bucket, member the event id, score the
/// time (ms) the event next needs waking. Durable, so a bucket woken on another silo after a
/// failover finds every event it holds.
/// </summary>
public sealed class BucketStore
{
    private readonly IConnectionMultiplexer _redis;
    private readonly string _serviceId;

    /// <summary>Removals from one bucket at nearly the same time (fires settling) go as one <c>ZREM</c>.</summary>
    private readonly KeyedWrites<BucketId, string> _removals;

    public BucketStore(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster)
    {
        _redis = redis;
        _serviceId = cluster.Value.ServiceId;
        _removals = new((bucket, eventIds) => Db.SortedSetRemoveAsync(Key(bucket), [.. eventIds.Select(id => (RedisValue)id)]));
    }

    private IDatabase Db => _redis.GetDatabase();

    public RedisKey Key(BucketId bucket) => $"{_serviceId}/buckets/{bucket}";

    public Task AddAsync(BucketId bucket, string eventId, DateTimeOffset wakeAt) =>
        Db.SortedSetAddAsync(Key(bucket), eventId, wakeAt.ToUnixTimeMilliseconds());

    /// <summary>Adds many members to one bucket in one command.</summary>
    public Task AddAsync(BucketId bucket, IEnumerable<(string EventId, DateTimeOffset WakeAt)> members) =>
        Db.SortedSetAddAsync(Key(bucket), members.Select(m => new SortedSetEntry(m.EventId, m.WakeAt.ToUnixTimeMilliseconds())).ToArray());

    public Task RemoveAsync(BucketId bucket, string eventId) => _removals.WriteAsync(bucket, eventId);

    /// <summary>Members whose wake-up time is after <paramref name="afterMs"/> (exclusive) and up to <paramref name="untilMs"/>.</summary>
    public async Task<(string EventId, double WakeAtMs)[]> RangeAsync(BucketId bucket, double afterMs, double untilMs, int take = -1)
    {
        var entries = await Db.SortedSetRangeByScoreWithScoresAsync(Key(bucket), afterMs, untilMs, Exclude.Start, take: take);
        return Array.ConvertAll(entries, e => (e.Element.ToString(), e.Score));
    }

    public Task<long> CountAsync(BucketId bucket) => Db.SortedSetLengthAsync(Key(bucket));
}
