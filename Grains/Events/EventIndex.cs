using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Eventd.Grains.Events;

/// <summary>Keeps the per-project creation index of events that the list route pages through.</summary>
public sealed class EventIndex(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster)
{
    private readonly string _serviceId = cluster.Value.ServiceId;

    public Task AddAsync(string project, string eventId, DateTimeOffset createdAt) =>
        redis.GetDatabase().SortedSetAddAsync(EventIndexKeys.ByCreation(_serviceId, project), eventId, createdAt.ToUnixTimeMilliseconds());

    /// <summary>Indexes many events of one project, created at one time, in one command.</summary>
    public Task AddAsync(string project, IEnumerable<string> eventIds, DateTimeOffset createdAt) =>
        redis.GetDatabase().SortedSetAddAsync(
            EventIndexKeys.ByCreation(_serviceId, project),
            eventIds.Select(id => new SortedSetEntry(id, createdAt.ToUnixTimeMilliseconds())).ToArray());
}
