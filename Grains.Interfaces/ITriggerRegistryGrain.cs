using Orleans.Concurrency;

namespace Eventd.Grains.Interfaces;

/// <summary>The Space Cloud triggers of one project, keyed by the project's name.</summary>
[Alias("Eventd.ITriggerRegistryGrain")]
public interface ITriggerRegistryGrain : IGrainWithStringKey
{
    /// <summary>Creates the trigger, or replaces the one of the same <see cref="SpaceCloudTrigger.Id"/>.</summary>
    [Alias("Set")]
    Task Set(SpaceCloudTrigger trigger);

    /// <summary>Removes the trigger named <paramref name="name"/>; false when there is none.</summary>
    [Alias("Delete")]
    Task<bool> Delete(string name);

    /// <summary>Every trigger of the project, by name (ordinal order).</summary>
    [Alias("List")]
    [ReadOnly]
    Task<IReadOnlyList<SpaceCloudTrigger>> List();

    /// <summary>The triggers of <paramref name="type"/>, by name: where a queued or emitted event of that type goes.</summary>
    /// <remarks>
    /// Interleaves: every queued event asks, and it should not wait for a trigger's write. It may see a
    /// set or delete whose write is still under way, as a queue racing that call could have either way.
    /// </remarks>
    [Alias("Match")]
    [AlwaysInterleave]
    Task<IReadOnlyList<SpaceCloudTrigger>> Match(string type);
}
