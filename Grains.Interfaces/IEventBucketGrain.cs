using Orleans.Concurrency;

namespace Eventd.Grains.Interfaces;

/// <summary>
/// A time bucket, keyed <c>{shard}:{minute}</c>: one reminder for all the events of a shard due
/// in that minute, instead of one per event.
/// </summary>
[Alias("Eventd.IEventBucketGrain")]
public interface IEventBucketGrain : IGrainWithStringKey
{
    /// <summary>Registers the bucket's reminder (once) so it wakes before its minute; idempotent.</summary>
    [Alias("Arm")]
    [AlwaysInterleave]
    Task Arm();

    /// <summary>
    /// Arms the bucket and scans it again from its first member: what a bucket sends itself as its silo
    /// stops, so a silo that stays takes it up at once rather than at its reminder's next tick.
    /// </summary>
    [Alias("Resume")]
    [OneWay]
    Task Resume();
}
