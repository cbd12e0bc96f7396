namespace Eventd.Grains.Retention;

/// <summary>When a state settled (nothing left to do for it), and whether it ended as a dead letter: what its retention counts from.</summary>
public readonly record struct Settlement(DateTimeOffset At, bool DeadLettered);

/// <summary>
/// A grain state that settles and is then kept only for the retention (API.md "Retention"): the grain
/// storage gives its Redis key an expiry in the same write that stores it settled, and removes the
/// expiry in the write that un-settles it (a redelivery, an update).
/// </summary>
public interface ISettlingState
{
    /// <summary>Null while the state is unsettled: it is then kept however long it takes.</summary>
    Settlement? Settlement { get; }
}
