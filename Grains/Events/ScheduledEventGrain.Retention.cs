using Eventd.Grains.Retention;

namespace Eventd.Grains.Events;

/// <summary>
/// How a settled event leaves (API.md "Retention"; see the class summary in ScheduledEventGrain.cs). Its
/// stored state expires by itself (<see cref="Storage.RetainingRedisGrainStorage"/>) and its list entries
/// are swept (<see cref="ExpiringEvents"/>); an activation still holding it past its retention forgets it
/// here, so a read answers "not found" and a create under the same id starts afresh.
/// </summary>
public sealed partial class ScheduledEventGrain
{
    private bool HasExpired => S.Spec is not null && RetentionRule.HasExpired(S, retention.Value, Now);

    private DateTimeOffset? ExpiresAt => RetentionRule.ExpiresAt(S, retention.Value);

    /// <summary>
    /// Clears an expired state (its key is gone already, or about to go: the clock of Redis and the
    /// silo's may differ a little) and holds the activation to a state that was never created.
    /// </summary>
    private async Task ForgetIfExpiredAsync()
    {
        if (!HasExpired)
        {
            return;
        }

        DisposeTimer();
        await state.ClearStateAsync();
        state.State = new ScheduledEventState();
        _indexed = IndexedStatus.None;
        _indexedExpiry = null;
    }
}
