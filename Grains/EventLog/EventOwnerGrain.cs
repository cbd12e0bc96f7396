using Microsoft.Extensions.DependencyInjection;
using Eventd.Grains.Interfaces;

namespace Eventd.Grains.EventLog;

/// <summary>The persisted owner of one event key, and until when (ms) it is kept: as long as its event.</summary>
public sealed class EventOwnerState
{
    public const string Name = "owner";

    public EventOwner? Owner { get; set; }

    public long KeptUntil { get; set; }
}

/// <summary>
/// The owner of one event key (see <see cref="IEventOwnerGrain"/>): a grain of its own, because the key alone
/// must find the scope, and the logged-event grain is keyed by the scope too.
/// </summary>
public sealed class EventOwnerGrain(
    [PersistentState(EventOwnerState.Name, StorageNames.EventLog)] IPersistentState<EventOwnerState> state,
    [FromKeyedServices(GrainClocks.EventLog)] TimeProvider time) : Grain, IEventOwnerGrain
{
    private long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<EventOwner> Claim(EventOwner owner, long keptUntil)
    {
        if (await KeptAsync() is { } kept)
        {
            return kept;
        }

        state.State = new EventOwnerState { Owner = owner, KeptUntil = keptUntil };
        await state.WriteStateAsync();
        return owner;
    }

    public Task<EventOwner?> Get() => KeptAsync();

    private async Task<EventOwner?> KeptAsync()
    {
        if (state.State.Owner is not { } owner)
        {
            return null;
        }

        if (NowMs < state.State.KeptUntil)
        {
            return owner;
        }

        await state.ClearStateAsync();
        state.State = new EventOwnerState();
        return null;
    }
}
