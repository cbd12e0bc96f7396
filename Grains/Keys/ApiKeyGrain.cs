using System.Text.Json.Serialization;
using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Keys;

/// <summary>The persisted state of one key (JSON in Redis): what it grants, never its secret.</summary>
public sealed class ApiKeyState
{
    /// <summary>The grain state's name in storage (part of its Redis key).</summary>
    public const string Name = "apikey";

    public ApiKeyStatus Status { get; set; }
    public ApiKey? Key { get; set; }

    [JsonIgnore]
    public ApiKey? Issued => Status == ApiKeyStatus.Issued ? Key : null;
}

public enum ApiKeyStatus
{
    /// <summary>Nothing stored under this hash: no state at all.</summary>
    Unused = 0,
    Issued = 1,

    /// <summary>Its create never finished and the directory gave the name up: this hash is never issued.</summary>
    Voided = 2,
}

/// <summary>
/// One project key, keyed by its secret's hash. It is the only writer of its state, and the directory
/// is the only caller that changes it; a turn at a time, so an <see cref="Issue"/> and a
/// <see cref="Settle"/> racing for the same hash are decided by whichever runs first, with no lock.
/// </summary>
public sealed class ApiKeyGrain(
    [PersistentState(ApiKeyState.Name, StorageNames.Default)] IPersistentState<ApiKeyState> state) : Grain, IApiKeyGrain
{
    private ApiKeyState S => state.State;

    public async Task<bool> Issue(ApiKey key)
    {
        if (S.Status == ApiKeyStatus.Unused)
        {
            state.State = new ApiKeyState { Status = ApiKeyStatus.Issued, Key = key };
            await state.WriteStateAsync();
        }

        return S.Issued == key;
    }

    public Task<ApiKey?> Authenticate()
    {
        if (S.Status != ApiKeyStatus.Issued)
        {
            // Any secret a client sends names a grain: a wrong one should not keep an activation alive.
            DeactivateOnIdle();
        }

        return Task.FromResult(S.Issued);
    }

    public async Task<bool> Settle()
    {
        if (S.Status == ApiKeyStatus.Unused)
        {
            S.Status = ApiKeyStatus.Voided;
            await state.WriteStateAsync();
        }

        return S.Status == ApiKeyStatus.Issued;
    }

    /// <summary>
    /// Deletes the state: the issue this revokes was answered long ago (the directory confirmed it), so
    /// no tombstone is needed to refuse a late one, and Redis keeps nothing of a revoked key.
    /// </summary>
    public async Task Revoke()
    {
        if (S.Status == ApiKeyStatus.Issued)
        {
            await state.ClearStateAsync();
        }

        DeactivateOnIdle();
    }
}
