using System.Globalization;
using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Buckets;

/// <summary>
/// One time bucket: the events of one id shard (<see cref="IdShards"/>) whose wake-up time falls in one minute. Its string
/// form (<c>{shard}:{minute}</c>) is the bucket grain's key and part of its Redis key.
/// </summary>
public readonly record struct BucketId(int Shard, long Minute)
{
    /// <summary>
    /// Shards spread one minute's events over as many bucket grains (and sorted sets), so a busy
    /// minute is woken by several silos and is never one hot key.
    /// </summary>
    public const int ShardCount = IdShards.Count;

    public static readonly TimeSpan Width = TimeSpan.FromMinutes(1);

    public DateTimeOffset Start => DateTimeOffset.FromUnixTimeMilliseconds(Minute * (long)Width.TotalMilliseconds);

    public DateTimeOffset End => Start + Width;

    /// <summary>
    /// The bucket for an event that needs waking at <paramref name="wakeAt"/>: a time already
    /// past goes to the current minute, whose bucket is awake and sweeps it at once.
    /// </summary>
    public static BucketId For(string eventId, DateTimeOffset wakeAt, DateTimeOffset now)
    {
        var at = wakeAt > now ? wakeAt : now;
        return new BucketId(IdShards.Of(eventId), at.ToUnixTimeMilliseconds() / (long)Width.TotalMilliseconds);
    }

    /// <summary>
    /// Whether this bucket can keep an event due at <paramref name="wakeAt"/> instead of moving it:
    /// not before its minute (it would wake too late), and not beyond its slack (it retires then).
    /// </summary>
    public bool Covers(DateTimeOffset wakeAt, DateTimeOffset now)
    {
        var at = wakeAt > now ? wakeAt : now;
        return at >= Start && at <= End + BucketTiming.Slack;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Shard}:{Minute}");

    public static bool TryParse(string? value, out BucketId bucket)
    {
        bucket = default;
        var colon = value?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon <= 0
            || !int.TryParse(value.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var shard)
            || !long.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var minute)
            || shard >= ShardCount)
        {
            return false;
        }

        bucket = new BucketId(shard, minute);
        return true;
    }

    public static BucketId Parse(string value) =>
        TryParse(value, out var bucket) ? bucket : throw new FormatException($"not a bucket id: {value}");
}
