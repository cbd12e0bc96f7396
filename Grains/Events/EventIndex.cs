using Eventd.Grains.Indexes;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Eventd.Grains.Events;

/// <summary>Keeps the creation indexes of events that the list route pages through: per project, and every project's (sharded).</summary>
public sealed class EventIndex(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster)
{
    private readonly string _serviceId = cluster.Value.ServiceId;

    public Task AddAsync(string project, string eventId, DateTimeOffset createdAt) => AddAsync(project, [eventId], createdAt);

    /// <summary>
    /// Indexes many events of one project, created at one time: one <c>ZADD</c> for the project's index
    /// and one for each shard of every project's that the events fall in. Each is one key, so no command
    /// spans Redis Cluster slots.
    /// </summary>
    public Task AddAsync(string project, IEnumerable<string> eventIds, DateTimeOffset createdAt)
    {
        var score = CreationScore.Of(createdAt);
        var ids = eventIds.ToArray();
        var db = redis.GetDatabase();
        var everyProject = ids
            .GroupBy(EveryProjectShards.Of)
            .Select(shard => db.SortedSetAddAsync(EventIndexKeys.EveryProject(_serviceId, shard.Key), Entries(shard, score)));
        return Task.WhenAll(everyProject.Append(db.SortedSetAddAsync(EventIndexKeys.ByCreation(_serviceId, project), Entries(ids, score))));
    }

    private static SortedSetEntry[] Entries(IEnumerable<string> ids, double score) => [.. ids.Select(id => new SortedSetEntry(id, score))];
}
