using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Eventd.Grains.Storage;

/// <summary>
/// The one way a grain's state is written without the grain: a *first* state, stored only if the grain
/// has none yet (a write without an ETag, which the Redis grain storage refuses when the grain's key
/// exists). Two hot paths use it, each to spare an activation that would only write and deactivate: the
/// intake writing a far event, and an event recording its fire's delivered first attempt where the
/// fire's delivery grain keeps its attempts. The grain reads the state when it activates; a grain that
/// already has a state keeps it, so this can never overwrite what the grain wrote.
/// </summary>
public sealed class FirstStates(IServiceProvider services)
{
    private readonly IGrainStorage _storage = services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);

    /// <summary>True when <paramref name="state"/> was stored; false when the grain had a state already, which stands.</summary>
    public async Task<bool> TryWriteAsync<T>(string stateName, GrainId grain, T state)
    {
        try
        {
            await _storage.WriteStateAsync(stateName, grain, new GrainState<T>(state));
            return true;
        }
        catch (InconsistentStateException)
        {
            return false;
        }
    }
}
