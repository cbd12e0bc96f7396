using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Indexes;

/// <summary>
/// The creation lists events had before the event list read the status index (<see cref="StatusIndexKeys"/>):
/// one sorted set per project, and every project's in 16 shards, scored by creation. Nothing writes or reads
/// them now; the retention sweep removes an expiring event's entries from them, so a Redis that held them
/// empties them as their events expire.
/// </summary>
public static class EventIndexKeys
{
    public static string ByCreation(string serviceId, string project) => $"{serviceId}/events/{project}";

    public static string EveryProject(string serviceId, int shard) => $"{{{ByCreation(serviceId, ProjectNames.Every)}/{shard}}}";
}
