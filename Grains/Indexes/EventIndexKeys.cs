using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Indexes;

/// <summary>
/// The Redis index of events: one sorted set per project, member the event id, score its
/// creation time (<see cref="CreationScore"/>). Written by the event grain and the intake, read by <c>EventListGrain</c>.
/// </summary>
public static class EventIndexKeys
{
    /// <summary>One key, written alone (one <c>ZADD</c>), so it needs no hash tag.</summary>
    public static string ByCreation(string serviceId, string project) => $"{serviceId}/events/{project}";

    /// <summary>
    /// One shard of every project's events, for callers that reach every project. <c>*</c> is never a
    /// project's name (names are letters, digits, '_' and '-'), so the key is no project's; the hash
    /// tag puts each shard in a slot of its own.
    /// </summary>
    public static string EveryProject(string serviceId, int shard) => $"{{{ByCreation(serviceId, ProjectNames.Every)}/{shard}}}";

    /// <summary>The keys a listing of <paramref name="project"/> reads: its index, or every shard of every project's.</summary>
    public static string[] Listing(string serviceId, string project) =>
        project == ProjectNames.Every
            ? [.. EveryProjectShards.All.Select(shard => EveryProject(serviceId, shard))]
            : [ByCreation(serviceId, project)];
}
