using Eventd.Grains.Buckets;
using Eventd.Grains.Channels;
using Eventd.Grains.Delivery;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Telemetry;
using Microsoft.Extensions.Logging;

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
    ILogger<ScheduledEventGrain> logger) : Grain, IScheduledEventGrain
{
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

    public async Task<UpdateResult> Update(EventSpec spec, bool reschedule, int expectedRevision)
    {
        if (S.Spec is null)
        {
            return new UpdateResult(UpdateOutcome.NotFound, null);
        }

        if (S.Cancelled)
        {
            return new UpdateResult(UpdateOutcome.Cancelled, View());
        }

        if (S.Revision != expectedRevision)
        {
            return new UpdateResult(UpdateOutcome.Conflict, View());
        }

        S.Spec = spec;
        S.Revision++;
        S.UpdatedAt = Now;
        if (reschedule)
        {
            S.NextFireAt = spec.Schedule.FirstDueAt;
        }

        await CommitAsync(placeMembership: reschedule);
        ArmNextOrRelease();
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

    /// <summary>The timer's tick: a hand-off retry that is due, then the fire that is due.</summary>
    private async Task TickAsync()
    {
        if (S.PendingDeliveries.Count > 0 && S.HandOffAt is { } at && at <= Now)
        {
            await HandOffPendingAsync();
        }

        await FireIfDueAsync();
        ArmNextOrRelease();
    }

    /// <summary>
    /// Fires the event if its next fire is due (timers may tick a few milliseconds early: such a
    /// tick only re-arms, so no fire happens before its due time).
    /// </summary>
    private async Task FireIfDueAsync()
    {
        if (S.Spec is null || S.Cancelled || S.NextFireAt is not { } due || Now < due)
        {
            return;
        }

        var now = Now;
        var spec = S.Spec;
        var seq = S.FireCount + 1;
        var next = ScheduleCalculator.NextDue(spec.Schedule, seq, due, now);

        // The fire is persisted before anything is sent: a crash after this point re-sends
        // (at least once), a crash before it fires again; it never fires twice in one run.
        S.FireCount = seq;
        S.NextFireAt = next;
        S.UpdatedAt = now;
        if (spec.Webhook is not null)
        {
            S.AddPending(seq, now + HandOffRetry.Recheck);
        }

        // A one-shot fire keeps its membership (its score now past) until its delivery ends: if this
        // activation is lost before the fire is handed off, the bucket's sweep wakes the event.
        await CommitAsync(placeMembership: next is not null);
        metrics.EventFired(now - due);
        LogFired(logger, Id, seq, (now - due).TotalMilliseconds);

        if (spec.Channel is { } channel)
        {
            await channels.PublishAsync(channel, ChannelMessage.For(Id, channel, seq, now, spec.Data));
        }

        if (spec.Webhook is not null)
        {
            var outcome = await handOff.FirstAsync(Request(seq), inline: FirstAttempt.Suits(spec.Webhook, next, Now));
            if (outcome.Result is { } result)
            {
                await SettleDeliveryAsync(result);
            }
            else if (!outcome.Handed)
            {
                await RetryHandOffLaterAsync();
            }
        }
    }

    /// <summary>
    /// Hands every pending fire to its delivery grain again; when one fails, the next try is persisted
    /// seconds ahead, else the next recheck is due in <see cref="HandOffRetry.Recheck"/>.
    /// </summary>
    private async Task HandOffPendingAsync()
    {
        var failed = false;
        foreach (var seq in S.PendingDeliveries.ToList())
        {
            failed |= !await handOff.AgainAsync(Request(seq));
        }

        if (failed)
        {
            await RetryHandOffLaterAsync();
        }
        else if (S.PendingDeliveries.Count > 0)
        {
            // Not written: a stale hand-off time in storage only makes a later activation hand off early.
            S.HandOffAt = Now + HandOffRetry.Recheck;
            S.HandOffFailures = 0;
        }
    }

    /// <summary>
    /// Persists the retry (with the membership for it), so a lost activation is woken for it by its
    /// bucket; the timer armed after this turn retries it while the activation lives.
    /// </summary>
    private async Task RetryHandOffLaterAsync()
    {
        S.HandOffFailures++;
        var wait = HandOffRetry.After(S.HandOffFailures);
        S.HandOffAt = Now + wait;
        try
        {
            await CommitAsync(placeMembership: true);
        }
        catch (Exception ex)
        {
            // The activation is released (memory ahead of storage); the membership written with the
            // fire still wakes the event for its pending fires.
            LogRetryNotPersisted(logger, ex, Id);
        }
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

    /// <summary>
    /// Arms the timer for what comes next while it is near (a fire within the timer window, or a
    /// hand-off of a pending fire); otherwise an event with nothing pending needs no activation until
    /// its bucket wakes it, which keeps a silo's memory proportional to the events due soon.
    /// </summary>
    private void ArmNextOrRelease()
    {
        var now = Now;
        var fire = S.Cancelled ? null : S.NextFireAt is { } due && BucketTiming.IsTimerNear(due, now) ? due : (DateTimeOffset?)null;
        var retry = S.PendingDeliveries.Count > 0 ? S.HandOffAt : null;
        var next = fire is { } f && (retry is not { } r || f <= r) ? fire : retry;
        if (next is { } at)
        {
            ArmTimer(at - now);
            return;
        }

        DisposeTimer();
        if (S.PendingDeliveries.Count == 0)
        {
            DeactivateOnIdle();
        }
    }

    private void ArmTimer(TimeSpan wait)
    {
        var dueTime = FireTiming.Positive(wait);
        if (_timer is null)
        {
            _timer = this.RegisterGrainTimer(
                static (grain, _) => grain.TickAsync(),
                this,
                new GrainTimerCreationOptions(dueTime, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
        else
        {
            _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    private void DisposeTimer()
    {
        _timer?.Dispose();
        _timer = null;
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event {EventId} fired #{Seq}, {LatenessMs} ms after its due time")]
    private static partial void LogFired(ILogger logger, string eventId, int seq, double latenessMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} could not persist its hand-off retry; its bucket wakes it for its pending fires")]
    private static partial void LogRetryNotPersisted(ILogger logger, Exception exception, string eventId);
}
