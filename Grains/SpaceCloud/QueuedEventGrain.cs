using Eventd.Grains.Interfaces;

namespace Eventd.Grains.SpaceCloud;

/// <summary>The persisted state of a queued Space Cloud event's record.</summary>
public sealed class QueuedEventState
{
    public const string Name = "queued";

    public QueuedEvent? Queued { get; set; }
}

/// <summary>One queued Space Cloud event's record (see <see cref="IQueuedEventGrain"/>); its only writer.</summary>
public sealed class QueuedEventGrain(
    [PersistentState(QueuedEventState.Name, StorageNames.Default)] IPersistentState<QueuedEventState> state) : Grain, IQueuedEventGrain
{
    public async Task Record(QueuedEvent queued)
    {
        if (state.State.Queued is null)
        {
            state.State.Queued = queued;
            await state.WriteStateAsync();
        }
    }

    public Task<QueuedEvent?> Get() => Task.FromResult(state.State.Queued);
}
