namespace Eventd.Grains.Interfaces;

/// <summary>
/// One shard's sweep of what has passed its retention (API.md "Retention"), keyed by the shard number
/// (0 to 15): the list entries of expired events and the dead letters past theirs.
/// </summary>
[Alias("Eventd.IRetentionSweepGrain")]
public interface IRetentionSweepGrain : IGrainWithIntegerKey
{
    /// <summary>Registers the sweep's reminder, which keeps it going from then on; idempotent.</summary>
    [Alias("Start")]
    Task Start();
}
