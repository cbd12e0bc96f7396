namespace Eventd.Grains.Interfaces;

[GenerateSerializer, Alias("Eventd.UpdateOutcome")]
public enum UpdateOutcome
{
    NotFound = 0,
    Updated = 1,
    Cancelled = 2,

    /// <summary>The merged fields break a rule; <see cref="UpdateResult.Error"/> names the field first. Nothing changed.</summary>
    Invalid = 4,

    /// <summary>The event belongs to another project than the caller's: told apart so the caller hears 403, not 404. Nothing changed.</summary>
    OtherProject = 5,
}

/// <summary>What an update did, and the event as it now stands (null when unknown or refused for its project).</summary>
[GenerateSerializer, Immutable, Alias("Eventd.UpdateResult")]
public sealed record UpdateResult(
    [property: Id(0)] UpdateOutcome Outcome,
    [property: Id(1)] EventView? Event,
    [property: Id(2)] string? Error = null);
