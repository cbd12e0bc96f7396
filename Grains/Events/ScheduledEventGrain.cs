using Eventd.Grains.Buckets;
using Eventd.Grains.Channels;
using Eventd.Grains.Delivery;
using Eventd.Grains.Flow;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Options;
using Eventd.Grains.Retention;
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
    EventStatusIndex statusIndex,
    EventMembership membership,
    FireHandOff handOff,
    EventdMetrics metrics,
    IOptions<DeliveryOptions> delivery,
    IOptions<ScheduleOptions> schedules,
    IOptions<RetentionOptions> retention,
    ILogger<ScheduledEventGrain> logger) : Grain, IScheduledEventGrain
{
    /// <summary>How long an updated event that needs no timer stays activated for the updates racing behind it.</summary>
    private static readonly TimeSpan UpdateLinger = TimeSpan.FromSeconds(2);

    private IGrainTimer? _timer;

    /// <summary>The status the status index has for the event, as far as this activation knows.</summary>
    private IndexedStatus _indexed = IndexedStatus.Unknown;

    /// <summary>The expiry the status index has for the event's entries (see <see cref="ExpiringEvents"/>), as far as this activation knows.</summary>
    private DateTimeOffset? _indexedExpiry;

    private string Id => this.GetPrimaryKeyString();
    private ScheduledEventState S => state.State;
    private DateTimeOffset Now => time.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The index is written before the state, so the stored status was indexed (events stored before
        // the status index existed are the exception: they are indexed at their next transition), except
        // while a fire is pending: one whose attempt its event made itself is indexed only if that outlasted
        // a grace, so a crash in it leaves the index at the status before, and the next transition here
        // clears every other status set.
        _indexed = S.Spec is null ? IndexedStatus.None
            : S.PendingDeliveries.Count > 0 ? IndexedStatus.Unknown
            : IndexedStatus.In(S.Status);
        _indexedExpiry = ExpiresAt;
        _orderingTold = OrderingTold.Unknown(S.Spec?.OrderingKey);
        await ForgetIfExpiredAsync();
    }

    public async Task<EventView> Create(EventSpec spec, DateTimeOffset? createdAt = null)
    {
        await ForgetIfExpiredAsync();
        if (S.Spec is null)
        {
            var now = createdAt ?? Now;
            state.State = ScheduledEventState.Created(spec, now);

            // Indexed and placed before the state is written: a crash in between leaves an id the
            // list skips and a member its bucket drops, never an event that is unlisted or never woken.
            await CommitAsync(placeMembership: true);
            metrics.EventCreated();
            ArmNextOrRelease();
        }

        return View();
    }

    public async Task<UpdateResult> Update(EventFields fields, string? callerProject)
    {
        await ForgetIfExpiredAsync();
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
            S.CatchingUp = 0;
        }

        await CommitAsync(placeMembership: reschedule);
        await FlowControlLimits.ConfigureAsync(GrainFactory, [spec]);
        ArmNextOrRelease(linger: UpdateLinger);
        return new UpdateResult(UpdateOutcome.Updated, View());
    }

    public async Task<EventView> CreateFired(EventSpec spec, string target, DeliveryResult result)
    {
        await ForgetIfExpiredAsync();
        if (S.Spec is null)
        {
            var now = Now;
            state.State = ScheduledEventState.Fired(spec, now, target, result);
            await CommitAsync(placeMembership: false);
            metrics.EventCreated();
            ArmNextOrRelease();
        }

        return View();
    }

    public Task<EventView?> Get()
    {
        if (S.Spec is null || HasExpired)
        {
            // Not kept: an event created after this by the intake, straight in storage, must be read afresh;
            // an expired one is forgotten by the next activation (a read interleaves, so it writes nothing).
            DeactivateOnIdle();
            return Task.FromResult<EventView?>(null);
        }

        return Task.FromResult<EventView?>(View());
    }

    public async Task Wake(string bucket)
    {
        await ForgetIfExpiredAsync();
        if (!BucketId.TryParse(bucket, out var from))
        {
            return;
        }

        if (S.Spec is null || S.IsDormant || bucket != S.Bucket)
        {
            // A member left behind: by a create that never committed, by a move or a settle whose
            // clean-up a crash cut short. The event's own membership is in S.Bucket.
            await membership.DropAsync(from, Id);
            if (S.Spec is null || S.IsDormant)
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
    /// <remarks>
    /// A change of status or of expiry is indexed alongside, before the state is written (the list checks each
    /// entry with its grain, so an entry ahead of the state is skipped); an unchanged one costs nothing. A change
    /// of the next fire is told to the event's ordering key after it (see ScheduledEventGrain.Ordering.cs).
    /// </remarks>
    private async Task CommitAsync(bool placeMembership, Task? alongside = null, bool deferIndex = false)
    {
        var entry = IndexEntryNow();
        var indexing = !deferIndex && !IsIndexed(entry);
        if (indexing)
        {
            var index = WriteIndexAsync(entry, _indexed);
            alongside = alongside is null ? index : Task.WhenAll(alongside, index);
        }

        try
        {
            await membership.CommitAsync(Id, state, placeMembership ? S.WakeAt(Now) : null, alongside);
            if (indexing)
            {
                Indexed(entry);
            }
        }
        catch
        {
            // Memory is ahead of storage now: the next call gets a fresh activation that reads it.
            // Which status the index holds is unknown too, so a next commit here writes it again.
            _indexed = IndexedStatus.Unknown;
            DeactivateOnIdle();
            throw;
        }

        await TellOrderingKeyAsync();
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

    /// <summary>
    /// The event as it stands now. A paused event is not woken for its slots: those that have come due
    /// since are shown skipped, and its next slot the one in the future, as a resume would record them.
    /// </summary>
    private EventView View()
    {
        var view = S.View(Id);
        if (!S.Paused || S.NextFireAt is not { } due || due > Now)
        {
            return view;
        }

        var (next, skipped) = DueSlots.PassedWhilePaused(S.Spec!.Schedule, due, Now);
        return view with { NextFireAt = next, SkippedFires = S.SkippedFires + skipped };
    }
}
