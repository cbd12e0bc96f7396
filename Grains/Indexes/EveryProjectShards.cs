using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Indexes;

/// <summary>
/// The indexes that list every project's events and dead letters (the <see cref="ProjectNames.Every"/>
/// project) are written by every grain that creates or gives up, so each is split into shards, each in
/// its own Redis Cluster slot, rather than one hot key on one node (DESIGN.md "One slot per write").
/// Readers merge the shards newest first.
/// </summary>
public static class EveryProjectShards
{
    public const int Count = IdShards.Count;

    public static IEnumerable<int> All => Enumerable.Range(0, Count);
}
