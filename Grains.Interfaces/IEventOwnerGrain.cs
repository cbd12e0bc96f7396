namespace Eventd.Grains.Interfaces;

/// <summary>
/// Which project and environment an event key was emitted in, keyed by the event key alone, so a key of
/// another project hears 403 rather than 404 and the admin key reaches every project's events. Kept as long
/// as the event.
/// </summary>
[Alias("Eventd.IEventOwnerGrain")]
public interface IEventOwnerGrain : IGrainWithStringKey
{
    /// <summary>Records the owner unless one is kept; answers the owner kept.</summary>
    [Alias("Claim")]
    Task<EventOwner> Claim(EventOwner owner, long keptUntil);

    /// <summary>The owner, or null when the key is unknown (never emitted, or expired).</summary>
    [Alias("Get")]
    Task<EventOwner?> Get();
}

[GenerateSerializer, Immutable, Alias("Eventd.EventOwner")]
public sealed record EventOwner([property: Id(0)] string Project, [property: Id(1)] string Environment);
