using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Eventd.Grains.Events;

/// <summary>Keeps the creation indexes of events that the list route pages through: per project, and every project's.</summary>
public sealed class EventIndex(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster)
{
    private readonly string _serviceId = cluster.Value.ServiceId;

    public Task AddAsync(string project, string eventId, DateTimeOffset createdAt) => AddAsync(project, [eventId], createdAt);

    /// <summary>Indexes many events of one project, created at one time: one command for the project's index, one for every project's.</summary>
    public Task AddAsync(string project, IEnumerable<string> eventIds, DateTimeOffset createdAt)
    {
        var entries = eventIds.Select(id => new SortedSetEntry(id, createdAt.ToUnixTimeMilliseconds())).ToArray();
        var db = redis.GetDatabase();
        return Task.WhenAll(
            db.SortedSetAddAsync(EventIndexKeys.ByCreation(_serviceId, project), entries),
            db.SortedSetAddAsync(EventIndexKeys.EveryProject(_serviceId), entries));
    }
}
