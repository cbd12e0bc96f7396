using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace Eventd.Grains.Keys;

/// <summary>
/// The name → key mapping, in one grain per service: names must be unique and listable, and one owner
/// checks a name and lists them all in its turn, with no index and no compare-and-set. One grain per name
/// could not list without a second index to keep in step. Keys are few and changed only by an operator;
/// a request's key is checked by its own <see cref="ApiKeyGrain"/>, never here, so this is no hot spot.
/// </summary>
/// <remarks>
/// A create writes two grains, in this order: the name is reserved here, then the key is issued by its
/// grain, then the name is confirmed. A key that authenticates therefore always has its name here. A
/// create that dies in between leaves a reservation, which the next turn settles by asking the key grain
/// (<see cref="IApiKeyGrain.Settle"/>): issued, the name is confirmed; not, the hash is voided and the name
/// freed. A revoke stops the key first and frees the name second; a revoke that dies in between leaves a
/// listed name whose key is refused, and repeating it finishes the job.
/// </remarks>
public sealed partial class ApiKeyDirectoryGrain(
    [PersistentState(ApiKeyDirectoryState.Name, StorageNames.Default)] IPersistentState<ApiKeyDirectoryState> state,
    TimeProvider time,
    ILogger<ApiKeyDirectoryGrain> logger) : Grain, IApiKeyDirectoryGrain
{
    private Dictionary<string, ApiKeyEntry> Keys => state.State.Keys;

    public async Task<bool> Create(NewApiKey key)
    {
        await SettleReservationsAsync();
        if (Keys.ContainsKey(key.Name))
        {
            return false;
        }

        var entry = ApiKeyEntry.Reserve(key, time.GetUtcNow());
        Keys[key.Name] = entry;
        await state.WriteStateAsync();
        if (!await KeyGrain(entry.Hash).Issue(entry.ToApiKey(key.Name)))
        {
            // Only a hash used before (a secret made twice, which 128 random bits do not do) gets here.
            Keys.Remove(key.Name);
            await state.WriteStateAsync();
            throw new InvalidOperationException($"Key \"{key.Name}\": its secret's hash already names another key");
        }

        entry.Reserved = false;
        await state.WriteStateAsync();
        return true;
    }

    public async Task<IReadOnlyList<ApiKey>> List()
    {
        await SettleReservationsAsync();
        return [.. Keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => k.Value.ToApiKey(k.Key))];
    }

    public async Task<bool> Revoke(string name)
    {
        await SettleReservationsAsync();
        if (!Keys.TryGetValue(name, out var entry))
        {
            return false;
        }

        await KeyGrain(entry.Hash).Revoke();
        Keys.Remove(name);
        await state.WriteStateAsync();
        return true;
    }

    /// <summary>Confirms or frees every reservation a failed create left (see the remarks above).</summary>
    private async Task SettleReservationsAsync()
    {
        var reserved = Keys.Where(k => k.Value.Reserved).ToList();
        foreach (var (name, entry) in reserved)
        {
            if (await KeyGrain(entry.Hash).Settle())
            {
                entry.Reserved = false;
                LogConfirmed(logger, name);
            }
            else
            {
                Keys.Remove(name);
                LogFreed(logger, name);
            }
        }

        if (reserved.Count > 0)
        {
            await state.WriteStateAsync();
        }
    }

    private IApiKeyGrain KeyGrain(string hash) => GrainFactory.GetGrain<IApiKeyGrain>(hash);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key {Name}: its create did not finish, but the key was issued; the name is confirmed")]
    private static partial void LogConfirmed(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key {Name}: its create did not finish and the key was never issued; the name is free again")]
    private static partial void LogFreed(ILogger logger, string name);
}
