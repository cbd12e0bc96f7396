using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Ordering;

/// <summary>
/// The persisted part of an ordering key but its expected fires (see <see cref="ExpectedFireStore"/>): the fire
/// holding it (it may wait an hour between retries, and the key must stay held meanwhile, across any restart).
/// </summary>
public sealed class OrderingState
{
    public const string Name = "ordering";

    public KeyedFire? Holder { get; set; }
}
