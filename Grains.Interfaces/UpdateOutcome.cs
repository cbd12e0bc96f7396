namespace Eventd.Grains.Interfaces;

[GenerateSerializer, Alias("Eventd.UpdateOutcome")]
public enum UpdateOutcome
{
    NotFound = 0,
    Updated = 1,
    Cancelled = 2,

    /// <summary>Another update landed since the caller read the event; read again and retry.</summary>
    Conflict = 3,
}

/// <summary>What an update did, and the event as it now stands.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.UpdateResult")]
public sealed record UpdateResult(
    [property: Id(0)] UpdateOutcome Outcome,
    [property: Id(1)] EventView? Event);
