using Eventd.Grains.Indexes;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Eventd.Grains.Delivery;

/// <summary>
/// Pages through the dead-letter index the delivery grains write (see <see cref="DeadLetterIndex"/>),
/// newest first: a range read of the sorted sets and one <c>HMGET</c> per index the page's members are in.
/// </summary>
[StatelessWorker]
[Reentrant] // Reads only.
public sealed class DeadLetterListGrain(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster) : Grain, IDeadLetterListGrain
{
    public async Task<DeadLetterPage> Page(string project, int page, int pageSize)
    {
        var db = redis.GetDatabase();
        var indexes = DeadLetterKeys.Listing(cluster.Value.ServiceId, project);
        var byTime = ByTime(db, indexes);
        var total = await byTime.CountAsync();
        var members = await byTime.RangeAsync((long)(page - 1) * pageSize, pageSize);
        var items = (await EntriesAsync(db, indexes, members))
            .Where(e => e.HasValue)
            .Select(DeadLetterIndex.Decode)
            .ToList();
        return new DeadLetterPage(items, total);
    }

    public Task<long> Count(string project) =>
        ByTime(redis.GetDatabase(), DeadLetterKeys.Listing(cluster.Value.ServiceId, project)).CountAsync();

    private static NewestFirstIndex ByTime(IDatabase db, DeadLetterKeys[] indexes) => new(db, [.. indexes.Select(keys => (RedisKey)keys.ByTime)]);

    /// <summary>The entries of <paramref name="members"/>, in their order: one <c>HMGET</c> per index they are in.</summary>
    private static async Task<RedisValue[]> EntriesAsync(IDatabase db, DeadLetterKeys[] indexes, IReadOnlyList<IndexedMember> members)
    {
        var entries = new RedisValue[members.Count];
        var positionsBySource = Enumerable.Range(0, members.Count).GroupBy(position => members[position].Source);
        await Task.WhenAll(positionsBySource.Select(async positions =>
        {
            var read = await db.HashGetAsync(indexes[positions.Key].Entries, [.. positions.Select(position => members[position].Member)]);
            foreach (var (position, entry) in positions.Zip(read))
            {
                entries[position] = entry;
            }
        }));
        return entries;
    }
}
