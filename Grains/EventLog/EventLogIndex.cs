using Eventd.Grains.Interfaces.Options;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Eventd.Grains.EventLog;

/// <summary>
/// Writes a scope's query indexes (<see cref="EventLogIndexKeys"/>) for the logged-event grains. Each write
/// is one MULTI in the scope's slot: the entries, the sets trimmed of events past the retention, and their
/// expiry pushed to now + retention, so an idle scope's sets leave with its last event.
/// </summary>
public sealed class EventLogIndex(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster, IOptions<EventLogOptions> options)
{
    public IDatabase Db => redis.GetDatabase();

    public long RetentionMs => (long)options.Value.Retention.TotalMilliseconds;

    public EventLogIndexKeys Keys(string project, string environment) => new(cluster.Value.ServiceId, project, environment);

    /// <summary>The creation time (ms) of the oldest event still kept: one emitted at the cutoff expires now.</summary>
    public long OldestKept(long now) => now - RetentionMs + 1;

    /// <summary>Adds <paramref name="eventKey"/>, created at <paramref name="createdAt"/>, to each of <paramref name="sets"/>.</summary>
    public async Task AddAsync(IReadOnlyList<string> sets, string eventKey, long createdAt, long now)
    {
        var write = Db.CreateTransaction();
        var steps = new List<Task>();
        foreach (var set in sets)
        {
            steps.Add(write.SortedSetAddAsync(set, eventKey, createdAt));
            steps.Add(Trim(write, set, now));
            steps.Add(write.KeyExpireAsync(set, DateTimeOffset.FromUnixTimeMilliseconds(now + RetentionMs).UtcDateTime));
        }

        await write.ExecuteAsync();
        await Task.WhenAll(steps);
    }

    public Task RemoveAsync(string set, string eventKey) => Db.SortedSetRemoveAsync(set, eventKey);

    public Task<long> Trim(ITransaction transaction, RedisKey set, long now) =>
        transaction.SortedSetRemoveRangeByScoreAsync(set, double.NegativeInfinity, OldestKept(now), Exclude.Stop);
}
