using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Triggers;

/// <summary>The persisted state of a project's trigger registry (JSON in Redis): its triggers by name.</summary>
public sealed class TriggerRegistryState
{
    /// <summary>The grain state's name in storage (part of its Redis key).</summary>
    public const string Name = "triggers";

    public Dictionary<string, SpaceCloudTrigger> Triggers { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// A project's Space Cloud triggers, in one grain per project: a project has few, they change rarely,
/// and every queued event reads them all at once to find those of its type. The only writer of its state.
/// </summary>
public sealed class TriggerRegistryGrain(
    [PersistentState(TriggerRegistryState.Name, StorageNames.Default)] IPersistentState<TriggerRegistryState> state) : Grain, ITriggerRegistryGrain
{
    private Dictionary<string, SpaceCloudTrigger> Triggers => state.State.Triggers;

    public async Task Set(SpaceCloudTrigger trigger)
    {
        Triggers[trigger.Id] = trigger;
        await PersistAsync();
        if (trigger.FlowControl is { } limits)
        {
            // A trigger's limits count as those of the last event naming the key, as an event's own do.
            await GrainFactory.GetGrain<IFlowControlKeyGrain>(FlowControl.GrainKey(this.GetPrimaryKeyString(), limits.Key)).Configure(limits);
        }
    }

    public async Task<bool> Delete(string name)
    {
        if (!Triggers.Remove(name))
        {
            return false;
        }

        await PersistAsync();
        return true;
    }

    public Task<IReadOnlyList<SpaceCloudTrigger>> List() => Task.FromResult(Sorted(Triggers.Values));

    public Task<IReadOnlyList<SpaceCloudTrigger>> Match(string type) =>
        Task.FromResult(Sorted(Triggers.Values.Where(t => t.Type == type)));

    private static IReadOnlyList<SpaceCloudTrigger> Sorted(IEnumerable<SpaceCloudTrigger> triggers) =>
        [.. triggers.OrderBy(t => t.Id, StringComparer.Ordinal)];

    /// <summary>
    /// Writes the triggers, or deletes the state once the last is gone, so Redis keeps nothing of a project
    /// without triggers. A write that failed leaves memory ahead of storage (and may have landed anyway):
    /// the next call gets a fresh activation that reads what storage holds.
    /// </summary>
    private async Task PersistAsync()
    {
        try
        {
            await (Triggers.Count == 0 ? state.ClearStateAsync() : state.WriteStateAsync());
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }
}
