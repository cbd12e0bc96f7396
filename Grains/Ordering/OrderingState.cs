using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Ordering;

/// <summary>
/// The persisted part of an ordering key: the fire holding it (it may wait an hour between retries, and
/// the key must stay held meanwhile, across any restart) and whether fires were waiting behind it.
/// </summary>
public sealed class OrderingState
{
    public const string Name = "ordering";

    public KeyedFire? Holder { get; set; }

    /// <summary>
    /// True while fires wait in line: the line lives in memory, so a key activated again with this set lets
    /// the waiting deliveries ask again (<c>KeyPermits.Recheck</c>) before it hands the key to any of them.
    /// </summary>
    public bool Waiting { get; set; }
}
