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
/// so a fire happens once however many wakes and ticks race for it.
/// </summary>
public sealed partial class ScheduledEventGrain(
    [PersistentState(ScheduledEventState.Name, StorageNames.Default)] IPersistentState<ScheduledEventState> state,
    TimeProvider time,
    IChannelPublisher channels,
    EventIndex index,
    BucketStore buckets,
    BucketPlacement placement,
    FirstAttempt firstAttempt,
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
            ArmTimerOrRelease();
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
        if (reschedule)
        {
            ArmTimerOrRelease();
        }

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
            DisposeTimer();
            await CommitAsync(placeMembership: false);
            DeactivateIfSettled();
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
        S.PendingDeliveries.Add(seq);
        S.UpdatedAt = Now;
        await CommitAsync(placeMembership: true);

        var request = Request(seq);
        await GrainFactory.GetGrain<IWebhookDeliveryGrain>(request.DeliveryKey).Redeliver(request);
        return RedeliverOutcome.Redelivering;
    }

    public async Task CompleteDelivery(string target, DeliveryResult result)
    {
        await SettleDeliveryAsync(result);
        if (_timer is null)
        {
            DeactivateIfSettledOrFar();
        }
    }

    private async Task SettleDeliveryAsync(DeliveryResult result)
    {
        if (S.Spec is null || !S.PendingDeliveries.Remove(result.Seq))
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
            await buckets.RemoveAsync(from, Id);
            if (S.Spec is null || S.IsSettled)
            {
                DeactivateOnIdle();
            }

            return;
        }

        await HandOffPendingDeliveriesAsync();
        if (S.NextFireAt is not null)
        {
            await FireOrWaitAsync();
        }

        if (WakeAt(Now) is { } wakeAt && wakeAt - Now > BucketTiming.PokeLead)
        {
            // Woken by the sweep for a wake-up time that has moved on (a delivery still under way,
            // or one that ended): the membership follows, so the sweep does not wake it again.
            await RefreshMembershipAsync(wakeAt);
        }

        if (_timer is null && S.PendingDeliveries.Count == 0)
        {
            DeactivateIfSettledOrFar();
        }
    }

    /// <summary>
    /// When the event next needs waking: its next fire, or sooner while a delivery is under way
    /// (to hand it off again should its delivery grain have died); null once settled.
    /// </summary>
    private DateTimeOffset? WakeAt(DateTimeOffset now)
    {
        if (S.IsSettled)
        {
            return null;
        }

        var recheck = now + BucketTiming.DeliveryRecheck;
        return S.PendingDeliveries.Count == 0 ? S.NextFireAt
            : S.NextFireAt is { } due && due < recheck ? due
            : recheck;
    }

    /// <summary>
    /// The one way the state is written. The membership the event's wake-up time needs comes
    /// first and the one it no longer needs goes last, so whatever a crash interrupts, an
    /// unsettled event is always in a bucket that will wake it; at worst a stale member is left,
    /// which its bucket drops when it wakes the event for it.
    /// </summary>
    private async Task CommitAsync(bool placeMembership, Task? alongside = null)
    {
        BucketId? left;
        try
        {
            var placing = placeMembership && WakeAt(Now) is { } wakeAt ? PlaceAsync(wakeAt) : Task.FromResult<BucketId?>(null);
            await Task.WhenAll(placing, alongside ?? Task.CompletedTask);
            left = placing.Result;
        }
        catch
        {
            // Memory is ahead of storage now: the next call gets a fresh activation that reads it.
            DeactivateOnIdle();
            throw;
        }

        await WriteThenLeaveAsync(left);
    }

    /// <summary>Writes the state, then drops the membership it no longer names (all of it once settled).</summary>
    private async Task WriteThenLeaveAsync(BucketId? left)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }

        if (S.IsSettled && BucketId.TryParse(S.Bucket, out var own))
        {
            left = own;
        }

        if (left is { } leaving)
        {
            await LeaveAsync(leaving);
        }
    }

    /// <summary>
    /// Drops a membership the event no longer needs. Only clean-up once the state is written: if it
    /// fails, the member stays behind and the event drops it when that bucket wakes it.
    /// </summary>
    private async Task LeaveAsync(BucketId bucket)
    {
        try
        {
            await buckets.RemoveAsync(bucket, Id);
        }
        catch (Exception ex)
        {
            LogLeaveFailed(logger, ex, Id, bucket);
        }
    }

    /// <summary>Places the event for <paramref name="wakeAt"/>; returns the bucket it moves out of, if any.</summary>
    private async Task<BucketId?> PlaceAsync(DateTimeOffset wakeAt)
    {
        var (bucket, left) = await placement.PlaceAsync(Id, S.Bucket, wakeAt);
        S.Bucket = bucket.ToString();
        return left;
    }

    /// <summary>
    /// Moves the membership's score to a new wake-up time; only when it has to change bucket is the
    /// state (which names the bucket) written again.
    /// </summary>
    private async Task RefreshMembershipAsync(DateTimeOffset wakeAt)
    {
        if (await PlaceAsync(wakeAt) is { } left)
        {
            await WriteThenLeaveAsync(left);
        }
    }

    /// <summary>An event due within the timer window keeps its activation and arms its timer; a later one waits for its bucket.</summary>
    private void ArmTimerOrRelease()
    {
        if (S.NextFireAt is { } due && BucketTiming.IsTimerNear(due, Now))
        {
            ArmTimer(due - Now);
        }
        else
        {
            DisposeTimer();
            DeactivateIfSettledOrFar();
        }
    }

    private void ArmTimer(TimeSpan wait)
    {
        var dueTime = FireTiming.Positive(wait);
        if (_timer is null)
        {
            _timer = this.RegisterGrainTimer(
                static (grain, _) => grain.FireOrWaitAsync(),
                this,
                new GrainTimerCreationOptions(dueTime, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
        else
        {
            _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Fires the event if its next fire is due; a tick that came early (timers may run a few
    /// milliseconds ahead) re-arms for the rest, so no fire happens before its due time.
    /// </summary>
    private async Task FireOrWaitAsync()
    {
        if (S.Spec is null || S.Cancelled || S.NextFireAt is not { } due)
        {
            return;
        }

        var now = Now;
        if (now < due)
        {
            if (BucketTiming.IsTimerNear(due, now))
            {
                ArmTimer(due - now);
            }

            return;
        }

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
            S.PendingDeliveries.Add(seq);
        }

        // A one-shot fire keeps its membership (its score now past) until its delivery ends: if the
        // hand-off below is lost, the bucket's sweep wakes the event to hand it off again.
        await CommitAsync(placeMembership: next is not null);
        metrics.EventFired(now - due);
        LogFired(logger, Id, seq, (now - due).TotalMilliseconds);

        if (spec.Channel is { } channel)
        {
            await channels.PublishAsync(channel, ChannelMessage.For(Id, channel, seq, now, spec.Data));
        }

        if (spec.Webhook is not null)
        {
            await (FirstAttempt.Suits(spec.Webhook, next, Now) ? SendFirstAttemptAsync(seq) : HandOffAsync(seq));
        }

        if (next is { } nextDue && BucketTiming.IsTimerNear(nextDue, Now))
        {
            ArmTimer(nextDue - Now);
        }
        else
        {
            DisposeTimer();
            DeactivateIfSettledOrFar();
        }
    }

    private async Task HandOffPendingDeliveriesAsync()
    {
        // All of them, every time the bucket wakes the event while they are pending: handing off is
        // idempotent (a delivery under way carries on, a finished one reports again), and a report
        // that never arrived is only recovered this way.
        foreach (var seq in S.PendingDeliveries.ToList())
        {
            await HandOffAsync(seq);
        }
    }

    private async Task SendFirstAttemptAsync(int seq)
    {
        DeliveryResult? result;
        try
        {
            result = await firstAttempt.SendAsync(Request(seq));
        }
        catch (Exception ex)
        {
            // Sent or not, the fire stays pending and the event in its bucket: the sweep hands it to delivery.
            LogHandOffFailed(logger, ex, Id, seq);
            return;
        }

        if (result is not null)
        {
            await SettleDeliveryAsync(result);
        }
    }

    private async Task HandOffAsync(int seq)
    {
        var request = Request(seq);
        try
        {
            await GrainFactory.GetGrain<IWebhookDeliveryGrain>(request.DeliveryKey).Deliver(request);
        }
        catch (Exception ex)
        {
            // The fire stays pending and the event in its bucket: the sweep hands it off again.
            LogHandOffFailed(logger, ex, Id, seq);
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

    /// <summary>
    /// An event with nothing to do soon needs no activation until its bucket wakes it: releasing
    /// it keeps a silo's memory proportional to the events due soon, not to every pending one.
    /// </summary>
    private void DeactivateIfSettledOrFar()
    {
        if (S.IsSettled || (S.PendingDeliveries.Count == 0 && S.NextFireAt is { } due && !BucketTiming.IsTimerNear(due, Now)))
        {
            DeactivateOnIdle();
        }
    }

    private void DeactivateIfSettled()
    {
        if (S.IsSettled)
        {
            DeactivateOnIdle();
        }
    }

    private void DisposeTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }

    private EventView View() => S.View(Id);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event {EventId} fired #{Seq}, {LatenessMs} ms after its due time")]
    private static partial void LogFired(ILogger logger, string eventId, int seq, double latenessMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} could not leave bucket {Bucket}; the bucket drops it when it wakes the event")]
    private static partial void LogLeaveFailed(ILogger logger, Exception exception, string eventId, BucketId bucket);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} could not hand fire #{Seq} to delivery; its bucket wakes it to retry")]
    private static partial void LogHandOffFailed(ILogger logger, Exception exception, string eventId, int seq);
}
