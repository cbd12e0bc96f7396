using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Flow;

/// <summary>
/// One flow-control key of one project (key <c>{project}/{key}</c>): admits attempts from every silo under
/// the key's limits (<see cref="FlowWindow"/>), the waiting ones in due-time order (<see cref="WaitingLine"/>),
/// and tells each waiting delivery grain when it may start. Only the limits are persisted: the line is
/// learnt again from the deliveries, which ask again while they wait (<see cref="KeyPermits.Recheck"/>).
/// </summary>
public sealed class FlowControlKeyGrain(
    [PersistentState(FlowControlState.Name, StorageNames.Default)] IPersistentState<FlowControlState> state,
    FlowControlIndex index,
    TimeProvider time) : Grain, IFlowControlKeyGrain
{
    private readonly WaitingLine _line = new();
    private readonly FlowWindow _window = new();
    private readonly Dictionary<string, TimeSpan> _holds = new(StringComparer.Ordinal);
    private IGrainTimer? _timer;

    private DateTimeOffset Now => time.GetUtcNow();

    private string Project => this.GetPrimaryKeyString()[..this.GetPrimaryKeyString().IndexOf('/')];

    public async Task Configure(FlowControl limits)
    {
        if (state.State.Limits == limits)
        {
            return;
        }

        var first = state.State.Limits is null;
        state.State.Limits = limits;
        await state.WriteStateAsync();
        if (first)
        {
            await index.AddAsync(Project, limits.Key);
        }

        Admit(caller: null);
    }

    public async Task<bool> Acquire(KeyedFire fire, FlowControl limits, TimeSpan hold)
    {
        if (state.State.Limits is null)
        {
            // The create's Configure was lost (its caller crashed): the fire's own limits stand until the next.
            await Configure(limits);
        }

        if (_window.IsInFlight(fire.Holder))
        {
            _window.Renew(fire.Holder, Now, hold);
            return true;
        }

        _line.Join(fire);
        _holds[fire.Holder] = hold;
        Admit(fire.Holder);
        return _window.IsInFlight(fire.Holder);
    }

    public Task Release(string holder)
    {
        if (_window.Release(holder, Now) || _line.Leave(holder))
        {
            _holds.Remove(holder);
            Admit(caller: null);
        }

        return Task.CompletedTask;
    }

    public Task<FlowControlView?> Get()
    {
        if (state.State.Limits is not { } limits)
        {
            // Nothing stored and nothing to keep: a key no event named.
            DeactivateOnIdle();
            return Task.FromResult<FlowControlView?>(null);
        }

        _window.Expire(limits, Now);
        return Task.FromResult<FlowControlView?>(new FlowControlView { Limits = limits, Waiting = _line.Count, InFlight = _window.InFlight });
    }

    /// <summary>
    /// Starts every waiting fire the limits allow now, first due first, and tells each (but the one asking,
    /// which learns it from its answer); then arms the timer for when time alone opens the limits again.
    /// </summary>
    private void Admit(string? caller)
    {
        var limits = state.State.Limits!;
        var now = Now;
        _window.Expire(limits, now);
        while (_line.First is not null && _window.CanStart(limits))
        {
            var next = _line.TakeFirst()!;
            _window.Start(next.Holder, now, _holds.Remove(next.Holder, out var hold) ? hold : KeyPermits.Recheck);
            if (next.Holder != caller && !next.Polls)
            {
                // Not awaited: a permit lost on the way costs the delivery one recheck, when it asks again and finds itself in flight.
                GrainFactory.GetGrain<IWebhookDeliveryGrain>(next.Holder).Permit(this.GetPrimaryKeyString()).Ignore();
            }
        }

        ArmTimer(_line.Count > 0 ? _window.NextOpening(limits) : null, now);
    }

    private void ArmTimer(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is not { } when)
        {
            _timer?.Dispose();
            _timer = null;
            return;
        }

        var wait = when - now;
        var dueTime = wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        if (_timer is null)
        {
            _timer = this.RegisterGrainTimer(
                static grain => { grain.Admit(caller: null); return Task.CompletedTask; },
                this,
                new GrainTimerCreationOptions(dueTime, Timeout.InfiniteTimeSpan));
        }
        else
        {
            _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
    }
}
