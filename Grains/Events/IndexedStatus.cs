using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Events;

/// <summary>
/// Which status set of the status index holds an event before a transition: none (a new event), a
/// known one (only its sets are cleared), or unknown (a write failed midway: every other set is cleared).
/// </summary>
public readonly record struct IndexedStatus(EventStatus? Status, bool Known)
{
    public static IndexedStatus None => new(null, Known: true);

    public static IndexedStatus Unknown => new(null, Known: false);

    public static IndexedStatus In(EventStatus status) => new(status, Known: true);
}
