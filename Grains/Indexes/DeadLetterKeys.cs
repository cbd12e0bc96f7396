using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Indexes;

/// <summary>
/// A dead-letter index: a sorted set of delivery keys by failure time (newest first when read in
/// reverse) and a hash of their entries, so listing is a range read, never a scan. The two are
/// written in one MULTI, so they share a hash tag (one Redis Cluster slot). Each project has one;
/// every project's is split in <see cref="EveryProjectShards"/>, a dead letter going to the shard
/// its delivery key hashes to.
/// </summary>
public sealed record DeadLetterKeys(string ByTime, string Entries)
{
    public static DeadLetterKeys Project(string serviceId, string project) => Tagged($"{serviceId}/deadletters/{project}");

    public static DeadLetterKeys EveryProject(string serviceId, int shard) => Tagged($"{serviceId}/deadletters/{ProjectNames.Every}/{shard}");

    /// <summary>
    /// A set of the projects that have had dead letters, so their indexes are found to be swept
    /// (<c>Retention.ExpiringDeadLetters</c>) without a scan of the keyspace. One key, written alone.
    /// </summary>
    public static string Projects(string serviceId) => $"{serviceId}/deadletter-projects";

    /// <summary>The indexes a listing of <paramref name="project"/> reads: its own, or every shard of every project's.</summary>
    public static DeadLetterKeys[] Listing(string serviceId, string project) =>
        project == ProjectNames.Every
            ? [.. EveryProjectShards.All.Select(shard => EveryProject(serviceId, shard))]
            : [Project(serviceId, project)];

    private static DeadLetterKeys Tagged(string name) => new($"{{{name}}}", $"{{{name}}}/entries");
}
