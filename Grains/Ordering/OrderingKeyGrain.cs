using Eventd.Grains.Flow;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace Eventd.Grains.Ordering;

/// <summary>
/// One ordering key of one project (key <c>{project}/{key}</c>): hands the key to one fire at a time, the
/// first due (then first created) of those waiting, from its first attempt until it is delivered or
/// dead-lettered. It knows each event's next fire before it is due (<see cref="ExpectedFires"/>), so a fire
/// late to arrive (its silo slow, killed or restarting) still takes its turn before those due after it. A fire
/// of an event it was never told of waits <see cref="KeyPermits.OrderingGather"/> at an idle key instead, for
/// others due with it.
/// </summary>
public sealed partial class OrderingKeyGrain(
    [PersistentState(OrderingState.Name, StorageNames.Default)] IPersistentState<OrderingState> state,
    ExpectedFireStore store,
    TimeProvider time,
    ILogger<OrderingKeyGrain> logger) : Grain, IOrderingKeyGrain
{
    private readonly WaitingLine _line = new();
    private readonly ExpectedFires _expected = new();
    private IGrainTimer? _timer;

    /// <summary>When the key was last free (or this activation began): a missing fire's patience counts from then at the earliest.</summary>
    private DateTimeOffset _freeSince;

    private OrderingState S => state.State;

    private DateTimeOffset Now => time.GetUtcNow();

    private string Key => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var fire in await store.LoadAsync(Key))
        {
            _expected.Expect(fire);
        }

        _freeSince = Now;
        await base.OnActivateAsync(cancellationToken);
    }

    public async Task Expect(IReadOnlyList<ExpectedFire> fires)
    {
        // An event activated again tells its key what it told before: only what changed is written, then known.
        var changed = fires.Where(fire => !_expected.Knows(fire)).ToList();
        if (changed.Count == 0)
        {
            return;
        }

        await store.SetAsync(Key, changed);
        foreach (var fire in changed)
        {
            _expected.Expect(fire);
        }

        await HandOverAsync(caller: null, changed: false);
    }

    public async Task Forget(string eventId)
    {
        if (_expected.Forget(eventId))
        {
            await store.RemoveAsync(Key, eventId);
            await HandOverAsync(caller: null, changed: false);
        }
    }

    public async Task<bool> Acquire(KeyedFire fire)
    {
        if (S.Holder?.Holder == fire.Holder)
        {
            return true;
        }

        _line.Join(fire);
        await HandOverAsync(caller: fire.Holder, changed: false);
        return S.Holder?.Holder == fire.Holder;
    }

    public async Task Release(string holder)
    {
        if (S.Holder is { } held && held.Holder == holder)
        {
            S.Holder = null;
            _freeSince = Now;
            if (held.EventId is { } eventId && _expected.Ended(eventId, held.DueAt))
            {
                await store.RemoveAsync(Key, eventId);
            }

            await HandOverAsync(caller: null, changed: true);
        }
        else if (_line.Leave(holder))
        {
            await HandOverAsync(caller: null, changed: false);
        }
    }

    /// <summary>
    /// Gives a free key to the first fire in line once no expected fire goes before it (else arms the timer
    /// for when the key stops waiting for that one), and persists what changed before telling the new holder.
    /// </summary>
    private async Task HandOverAsync(string? caller, bool changed)
    {
        KeyedFire? granted = null;
        if (S.Holder is null && _line.First is { } first && await TurnOfFirstAsync(first) is { } startAt)
        {
            if (startAt <= Now)
            {
                granted = _line.TakeFirst();
                S.Holder = granted;
                changed = true;
            }
            else
            {
                ArmTimer(startAt - Now);
            }
        }

        if (changed)
        {
            await state.WriteStateAsync();
        }

        if (granted is not null && granted.Holder != caller)
        {
            // Not awaited: a permit lost on the way costs the delivery one recheck, when it asks again and finds it holds the key.
            GrainFactory.GetGrain<IWebhookDeliveryGrain>(granted.Holder).Permit(Key).Ignore();
        }
    }

    /// <summary>
    /// When the first fire in line may take the free key: once every expected fire due before it has arrived
    /// or been passed over; at once when its event is known, else after gathering others due with it.
    /// </summary>
    private async Task<DateTimeOffset> TurnOfFirstAsync(KeyedFire first)
    {
        var arrived = _line.EventIds();
        while (_expected.MissingBefore(first, arrived) is { } missing)
        {
            var passOverAt = ExpectedFires.PassOverAt(missing, _freeSince);
            if (passOverAt > Now)
            {
                return passOverAt;
            }

            LogPassedOver(logger, Key, missing.EventId, missing.DueAt);
            _expected.Forget(missing.EventId);
            await store.RemoveAsync(Key, missing.EventId);
        }

        return first.EventId is { } eventId && _expected.Knows(eventId) ? Now : first.DueAt + KeyPermits.OrderingGather;
    }

    private void ArmTimer(TimeSpan wait)
    {
        if (_timer is null)
        {
            _timer = this.RegisterGrainTimer(
                static grain => grain.HandOverAsync(caller: null, changed: false),
                this,
                new GrainTimerCreationOptions(wait, Timeout.InfiniteTimeSpan));
        }
        else
        {
            _timer.Change(wait, Timeout.InfiniteTimeSpan);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ordering key {OrderingKey} passed over the fire of event {EventId}, due at {DueAt} and still missing")]
    private static partial void LogPassedOver(ILogger logger, string orderingKey, string eventId, DateTimeOffset dueAt);
}
