using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Idempotency;

/// <summary>The persisted state of one <c>Idempotency-Key</c>; its storage expires it 24 h after the last write.</summary>
public sealed class IdempotencyKeyState
{
    public const string Name = "key";

    /// <summary>SHA-256 of the claiming request's method, path and body; null while the key is free.</summary>
    public string? RequestHash { get; set; }

    public DateTimeOffset ClaimedAt { get; set; }

    public IdempotentResponse? Response { get; set; }
}

/// <summary>
/// One <c>Idempotency-Key</c> (see <see cref="IIdempotencyKeyGrain"/>). Its turns replace the
/// set-if-absent and compare-and-set a shared store needs: two repeats racing for a key are simply
/// answered one after the other.
/// </summary>
public sealed class IdempotencyKeyGrain(
    [PersistentState(IdempotencyKeyState.Name, StorageNames.Idempotency)] IPersistentState<IdempotencyKeyState> state,
    TimeProvider time) : Grain, IIdempotencyKeyGrain
{
    private IdempotencyKeyState S => state.State;

    public async Task<IdempotencyClaim> Claim(string requestHash, TimeSpan takeOverAfter)
    {
        var now = time.GetUtcNow();
        if (S.RequestHash is not null && S.RequestHash != requestHash)
        {
            return new IdempotencyClaim(IdempotencyOutcome.Reused);
        }

        if (S.Response is { } response)
        {
            return new IdempotencyClaim(IdempotencyOutcome.Replay, response);
        }

        if (S.RequestHash is not null && now - S.ClaimedAt < takeOverAfter)
        {
            return new IdempotencyClaim(IdempotencyOutcome.InProgress);
        }

        S.RequestHash = requestHash;
        S.ClaimedAt = now;
        await state.WriteStateAsync();
        return new IdempotencyClaim(IdempotencyOutcome.Claimed);
    }

    public async Task Remember(string requestHash, IdempotentResponse response)
    {
        if (S.RequestHash == requestHash && S.Response is null)
        {
            S.Response = response;
            await state.WriteStateAsync();
        }
    }

    public async Task Release(string requestHash)
    {
        if (S.RequestHash == requestHash && S.Response is null)
        {
            await state.ClearStateAsync();
        }
    }
}
