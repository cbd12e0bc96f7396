using Eventd.Grains.Indexes;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Eventd.Grains.Webhooks;

/// <summary>
/// The list index of a project's hooks: one sorted set, member the hook id, score its creation time
/// (<see cref="CreationScore"/>). Written only by each hook's grain, read by <see cref="WebhookListGrain"/>.
/// </summary>
public sealed class WebhookIndex(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster)
{
    private readonly string _serviceId = cluster.Value.ServiceId;

    private IDatabase Db => redis.GetDatabase();

    /// <summary>The project's index; the hash tag keeps it in one Redis Cluster slot with anything else of the project's hooks.</summary>
    public string Key(string project) => $"{{{_serviceId}/webhooks/{project}}}/by-creation";

    public Task AddAsync(string project, string hookId, DateTimeOffset createdAt) =>
        Db.SortedSetAddAsync(Key(project), hookId, CreationScore.Of(createdAt));

    public Task RemoveAsync(string project, string hookId) => Db.SortedSetRemoveAsync(Key(project), hookId);

    /// <summary>The ids of one page, newest first, and how many the index holds.</summary>
    public async Task<(IReadOnlyList<string> Ids, long Total)> PageAsync(string project, int page, int pageSize)
    {
        var start = (long)(page - 1) * pageSize;
        var total = Db.SortedSetLengthAsync(Key(project));
        var ids = await Db.SortedSetRangeByRankAsync(Key(project), start, start + pageSize - 1, Order.Descending);
        return ([.. ids.Select(id => id.ToString())], await total);
    }
}
