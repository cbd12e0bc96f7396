using Eventd.Grains.Flow;
using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Ordering;

/// <summary>
/// One ordering key of one project (key <c>{project}/{key}</c>): hands the key to one fire at a time, the
/// first due (then first created) of those waiting, from its first attempt until it is delivered or
/// dead-lettered. An idle key lets a fire gather others due with it (<see cref="KeyPermits.OrderingGather"/>)
/// so that the earliest goes first even when it arrives a few milliseconds later.
/// </summary>
public sealed class OrderingKeyGrain(
    [PersistentState(OrderingState.Name, StorageNames.Default)] IPersistentState<OrderingState> state,
    TimeProvider time) : Grain, IOrderingKeyGrain
{
    private readonly WaitingLine _line = new();
    private IGrainTimer? _timer;

    /// <summary>Before this, no fire takes the key: after a restart, those that were waiting have not all asked again yet.</summary>
    private DateTimeOffset _relearnUntil;

    private OrderingState S => state.State;

    private DateTimeOffset Now => time.GetUtcNow();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Waiting)
        {
            _relearnUntil = Now + KeyPermits.Recheck + KeyPermits.HoldMargin;
        }

        return base.OnActivateAsync(cancellationToken);
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
        if (S.Holder?.Holder == holder)
        {
            S.Holder = null;
            await HandOverAsync(caller: null, changed: true);
        }
        else if (_line.Leave(holder))
        {
            await HandOverAsync(caller: null, changed: false);
        }
    }

    /// <summary>
    /// Gives a free key to the first fire in line once its gathering time has passed (else arms the timer for
    /// then), and persists what changed before telling the new holder.
    /// </summary>
    private async Task HandOverAsync(string? caller, bool changed)
    {
        KeyedFire? granted = null;
        if (S.Holder is null && _line.First is { } first)
        {
            var startAt = first.DueAt + KeyPermits.OrderingGather;
            startAt = startAt > _relearnUntil ? startAt : _relearnUntil;
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

        var waiting = _line.Count > 0;
        if (changed || S.Waiting != waiting)
        {
            S.Waiting = waiting;
            await state.WriteStateAsync();
        }

        if (granted is not null && granted.Holder != caller)
        {
            // Not awaited: a permit lost on the way costs the delivery one recheck, when it asks again and finds it holds the key.
            GrainFactory.GetGrain<IWebhookDeliveryGrain>(granted.Holder).Permit(this.GetPrimaryKeyString()).Ignore();
        }
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
}
