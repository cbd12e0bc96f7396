using Eventd.Grains.Buckets;
using Eventd.Grains.Channels;
using Eventd.Grains.Delivery;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Options;
using Eventd.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Eventd.Grains.Events;

/// <summary>
/// One scheduled event. Its membership in a time bucket makes it durable (the bucket's reminder
/// outlives deactivation, crashes and restarts, and the bucket wakes the event shortly before it is
/// due); a grain timer makes it precise. Either path may fire it: the persisted fire count decides,
/// so a fire happens once however many wakes and ticks race for it. A fire counted is kept pending
/// until its delivery reports back, and the event hands it to delivery again until it does.
/// </summary>
public sealed partial class ScheduledEventGrain(
    [PersistentState(ScheduledEventState.Name, StorageNames.Default)] IPersistentState<ScheduledEventState> state,
    TimeProvider time,
    IChannelPublisher channels,
    EventIndex index,
    EventMembership membership,
    FireHandOff handOff,
    EventdMetrics metrics,
    IOptions<DeliveryOptions> delivery,
    ILogger<ScheduledEventGrain> logger) : Grain, IScheduledEventGrain
{
    /// <summary>How long an updated event that needs no timer stays activated for the updates racing behind it.</summary>
    private static readonly TimeSpan UpdateLinger = TimeSpan.FromSeconds(2);

    private IGrainTimer? _timer;

    private string Id => this.GetPrimaryKeyString();
    private ScheduledEventState S => state.State;
    private DateTimeOffset Now => time.GetUtcNow();

    public async Task<EventView> Create(EventSpec spec)
    {
        if (S.Spec is null)
        {
            var now = Now;
            state.State = ScheduledEventState.Created(spec, now);

            // Indexed and placed before the state is written: a crash in between leaves an id the
            // list skips and a member its bucket drops, never an event that is unlisted or never woken.
            await CommitAsync(placeMembership: true, alongside: index.AddAsync(spec.Project, Id, now));
            metrics.EventCreated();
            ArmNextOrRelease();
        }

        return View();
    }

    public async Task<UpdateResult> Update(EventFields fields, string? callerProject)
    {
        if (S.Spec is null)
        {
            // Not kept, as for a read: the intake may create this id straight in storage afterwards.
            DeactivateOnIdle();
            return new UpdateResult(UpdateOutcome.NotFound, null);
        }

        if (callerProject is not null && callerProject != S.Spec.Project)
        {
            return new UpdateResult(UpdateOutcome.OtherProject, null);
        }

        if (S.Cancelled)
        {
            return new UpdateResult(UpdateOutcome.Cancelled, View());
        }

        // Merged and checked in this turn over the spec as stored: no other update can land in between.
        var (spec, error) = EventRules.ForUpdate(S.Spec, fields, delivery.Value, Now);
        if (spec is null)
        {
            return new UpdateResult(UpdateOutcome.Invalid, View(), error);
        }

        var reschedule = FieldMerge.Reschedules(fields);
        S.Spec = spec;
        S.UpdatedAt = Now;
        if (reschedule)
        {
            S.NextFireAt = spec.Schedule.FirstDueAt;
        }

        await CommitAsync(placeMembership: reschedule);
        ArmNextOrRelease(linger: UpdateLinger);
        return new UpdateResult(UpdateOutcome.Updated, View());
    }

    public Task<EventView?> Get()
    {
        if (S.Spec is null)
        {
            // Not kept: an event created after this by the intake, straight in storage, must be read afresh.
            DeactivateOnIdle();
            return Task.FromResult<EventView?>(null);
        }

        return Task.FromResult<EventView?>(View());
    }

    public async Task<CancelOutcome> Cancel()
    {
        if (S.Spec is null)
        {
            return CancelOutcome.NotFound;
        }

        // A settled event has nothing left to cancel: it keeps its outcome (delivered or failed) rather
        // than reading as if it had been stopped before it fired.
        if (!S.Cancelled && !S.IsSettled)
        {
            S.Cancelled = true;
            S.NextFireAt = null;
            S.UpdatedAt = Now;
            await CommitAsync(placeMembership: false);
            ArmNextOrRelease();
        }

        return CancelOutcome.Cancelled;
    }

    public async Task<RedeliverOutcome> Redeliver()
    {
        if (S.Spec is null)
        {
            return RedeliverOutcome.NotFound;
        }

        var seq = S.FireCount;
        if (S.Spec.Webhook is null || seq == 0)
        {
            return RedeliverOutcome.NothingToRedeliver;
        }

        if (S.PendingDeliveries.Contains(seq))
        {
            return RedeliverOutcome.AlreadyDelivering;
        }

        // A settled event has left its bucket: the pending fire needs a membership again.
        S.AddPending(seq, Now + HandOffRetry.Recheck);
        S.UpdatedAt = Now;
        await CommitAsync(placeMembership: true);
        ArmNextOrRelease();

        var request = Request(seq);
        await GrainFactory.GetGrain<IWebhookDeliveryGrain>(request.DeliveryKey).Redeliver(request);
        return RedeliverOutcome.Redelivering;
    }

    public async Task CompleteDelivery(string target, DeliveryResult result)
    {
        await SettleDeliveryAsync(result);
        ArmNextOrRelease();
    }

    private async Task SettleDeliveryAsync(DeliveryResult result)
    {
        if (S.Spec is null || !S.RemovePending(result.Seq))
        {
            return;
        }

        if (S.LastDelivery is null || S.LastDelivery.Seq <= result.Seq)
        {
            S.LastDelivery = result;
        }

        S.UpdatedAt = Now;

        // A repeating event waited in its bucket for the delivery; it waits for its next fire now.
        await CommitAsync(placeMembership: S.NextFireAt is not null && S.PendingDeliveries.Count == 0);
    }

    public async Task Wake(string bucket)
    {
        if (!BucketId.TryParse(bucket, out var from))
        {
            return;
        }

        if (S.Spec is null || S.IsSettled || bucket != S.Bucket)
        {
            // A member left behind: by a create that never committed, by a move or a settle whose
            // clean-up a crash cut short. The event's own membership is in S.Bucket.
            await membership.DropAsync(from, Id);
            if (S.Spec is null || S.IsSettled)
            {
                DeactivateOnIdle();
            }

            return;
        }

        // Every pending fire, whenever the bucket wakes the event: the activation that was handing
        // them off may be gone, and a report that never arrived is recovered this way too.
        await HandOffPendingAsync();
        await FireIfDueAsync();

        if (S.WakeAt(Now) is { } wakeAt && wakeAt - Now > BucketTiming.PokeLead)
        {
            // Woken by the sweep for a wake-up time that has moved on (a delivery still under way,
            // or one that ended): the membership follows, so the sweep does not wake it again.
            await RefreshMembershipAsync(wakeAt);
        }

        ArmNextOrRelease();
    }

    /// <summary>Writes the state with the membership its wake-up time needs (see <see cref="EventMembership"/>).</summary>
    private async Task CommitAsync(bool placeMembership, Task? alongside = null)
    {
        try
        {
            await membership.CommitAsync(Id, state, placeMembership ? S.WakeAt(Now) : null, alongside);
        }
        catch
        {
            // Memory is ahead of storage now: the next call gets a fresh activation that reads it.
            DeactivateOnIdle();
            throw;
        }
    }

    private async Task RefreshMembershipAsync(DateTimeOffset wakeAt)
    {
        try
        {
            await membership.RefreshAsync(Id, state, wakeAt);
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    private WebhookRequest Request(int seq) => new()
    {
        EventId = Id,
        Seq = seq,
        Target = DeliveryKeys.Webhook,
        Webhook = S.Spec!.Webhook!,
        Body = S.Spec.Data,
        Project = S.Spec.Project,
    };

    private EventView View() => S.View(Id);
}
