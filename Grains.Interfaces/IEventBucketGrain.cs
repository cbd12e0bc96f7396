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
    /// Wakes again, at once, every member the bucket has woken or would wake now (an awake bucket), or
    /// arms and scans the bucket (one not active, that holds members): sent when a silo is lost, since
    /// the activations and timers it held are gone, and by a bucket to itself as its silo stops, so a
    /// silo that stays takes it up at once rather than at its reminder's next tick.
    /// </summary>
    [Alias("Resume")]
    [OneWay]
    Task Resume();
}
