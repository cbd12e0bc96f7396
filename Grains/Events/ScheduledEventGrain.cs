using Eventd.Grains.Channels;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace Eventd.Grains.Events;

/// <summary>
/// One scheduled event. A reminder makes it durable (it survives deactivation, crashes and
/// restarts); a grain timer makes it precise. Either may fire it: the persisted fire count
/// decides, so a fire happens once however many ticks race for it.
/// </summary>
public sealed partial class ScheduledEventGrain(
    [PersistentState("event", StorageNames.Default)] IPersistentState<ScheduledEventState> state,
    TimeProvider time,
    IChannelPublisher channels,
    EventIndex index,
    EventdMetrics metrics,
    ILogger<ScheduledEventGrain> logger) : Grain, IScheduledEventGrain, IRemindable
{
    private const string ReminderName = "fire";

    private IGrainTimer? _timer;
    private IGrainReminder? _reminder;

    /// <summary>Fires whose delivery this activation has handed off; others are re-handed by the backstop.</summary>
    private readonly HashSet<int> _handedOff = [];

    private string Id => this.GetPrimaryKeyString();
    private ScheduledEventState S => state.State;
    private DateTimeOffset Now => time.GetUtcNow();

    public async Task<EventView> Create(EventSpec spec)
    {
        if (S.Spec is null)
        {
            var now = Now;
            S.Spec = spec;
            S.CreatedAt = now;
            S.UpdatedAt = now;
            S.NextFireAt = spec.Schedule.FirstDueAt;

            // Indexed first: a crash in between leaves an id the list skips, never an unlisted event.
            await index.AddAsync(spec.Project, Id, now);
            await state.WriteStateAsync();
            await ArmAsync(S.NextFireAt.Value);
            metrics.EventCreated();
            ReleaseIfFar();
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

        await state.WriteStateAsync();
        if (reschedule)
        {
            await ArmAsync(spec.Schedule.FirstDueAt);
            ReleaseIfFar();
        }

        return new UpdateResult(UpdateOutcome.Updated, View());
    }

    public Task<EventView?> Get() => Task.FromResult(S.Spec is null ? null : View());

    public async Task<CancelOutcome> Cancel()
    {
        if (S.Spec is null)
        {
            return CancelOutcome.NotFound;
        }

        if (!S.Cancelled)
        {
            S.Cancelled = true;
            S.NextFireAt = null;
            S.UpdatedAt = Now;
            await state.WriteStateAsync();
            DisposeTimer();
            await SettleIfDoneAsync();
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

        S.PendingDeliveries.Add(seq);
        S.UpdatedAt = Now;
        await state.WriteStateAsync();

        // A settled event has dropped its reminder: the pending fire needs its backstop again.
        _reminder = await this.RegisterOrUpdateReminder(ReminderName, FireTiming.ReminderPeriod, FireTiming.ReminderPeriod);
        var request = Request(seq);
        await GrainFactory.GetGrain<IWebhookDeliveryGrain>(request.DeliveryKey).Redeliver(request);
        _handedOff.Add(seq);
        return RedeliverOutcome.Redelivering;
    }

    public async Task CompleteDelivery(string target, DeliveryResult result)
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
        _handedOff.Remove(result.Seq);
        await state.WriteStateAsync();
        await SettleIfDoneAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (S.Spec is null)
        {
            // A reminder outliving its event (its state was removed): nothing will ever be due.
            await UnregisterReminderAsync();
            return;
        }

        await HandOffPendingDeliveriesAsync();
        if (S.NextFireAt is not null)
        {
            await FireOrWaitAsync();
        }
        else
        {
            await SettleIfDoneAsync();
        }
    }

    /// <summary>Arms the reminder for a due time, and the timer when it is near.</summary>
    private async Task ArmAsync(DateTimeOffset due)
    {
        var now = Now;
        _reminder = await this.RegisterOrUpdateReminder(ReminderName, FireTiming.ReminderDueTime(due, now), FireTiming.ReminderPeriod);
        if (FireTiming.IsNear(due, now))
        {
            ArmTimer(due - now);
        }
        else
        {
            // A reschedule moved the fire far away: the reminder wakes the grain for it.
            DisposeTimer();
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
            if (FireTiming.IsNear(due, now))
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

        await state.WriteStateAsync();
        metrics.EventFired(now - due);
        LogFired(logger, Id, seq, (now - due).TotalMilliseconds);

        if (spec.Channel is { } channel)
        {
            await channels.PublishAsync(channel, ChannelMessage.For(Id, channel, seq, now, spec.Data));
        }

        if (spec.Webhook is not null)
        {
            await HandOffAsync(seq);
        }

        if (next is { } nextDue)
        {
            if (FireTiming.IsNear(nextDue, Now))
            {
                ArmTimer(nextDue - Now);
            }
            else
            {
                await ArmAsync(nextDue);
            }
        }
        else
        {
            DisposeTimer();
            await SettleIfDoneAsync();
        }
    }

    private async Task HandOffPendingDeliveriesAsync()
    {
        foreach (var seq in S.PendingDeliveries.Where(seq => !_handedOff.Contains(seq)).ToList())
        {
            await HandOffAsync(seq);
        }
    }

    private async Task HandOffAsync(int seq)
    {
        var request = Request(seq);
        try
        {
            await GrainFactory.GetGrain<IWebhookDeliveryGrain>(request.DeliveryKey).Deliver(request);
            _handedOff.Add(seq);
        }
        catch (Exception ex)
        {
            // The fire stays pending: the reminder's next tick hands it off again.
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
    /// An event due beyond the near window needs no activation until its reminder wakes it:
    /// releasing it at once keeps a silo's memory proportional to the events due soon, not to
    /// every pending one.
    /// </summary>
    private void ReleaseIfFar()
    {
        if (S.NextFireAt is { } due && !FireTiming.IsNear(due, Now) && S.PendingDeliveries.Count == 0)
        {
            DeactivateOnIdle();
        }
    }

    /// <summary>Once nothing is left to fire or wait for, drops the reminder and the activation.</summary>
    private async Task SettleIfDoneAsync()
    {
        if (!S.IsSettled)
        {
            return;
        }

        await UnregisterReminderAsync();
        DeactivateOnIdle();
    }

    private async Task UnregisterReminderAsync()
    {
        _reminder ??= await this.GetReminder(ReminderName);
        if (_reminder is not null)
        {
            await this.UnregisterReminder(_reminder);
            _reminder = null;
        }
    }

    private void DisposeTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }

    private EventView View() => new()
    {
        Id = Id,
        Spec = S.Spec!,
        Status = S.Status,
        CreatedAt = S.CreatedAt,
        UpdatedAt = S.UpdatedAt,
        NextFireAt = S.NextFireAt,
        FireCount = S.FireCount,
        LastDelivery = S.LastDelivery,
        Revision = S.Revision,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} fired #{Seq}, {LatenessMs} ms after its due time")]
    private static partial void LogFired(ILogger logger, string eventId, int seq, double latenessMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} could not hand fire #{Seq} to delivery; the reminder retries")]
    private static partial void LogHandOffFailed(ILogger logger, Exception exception, string eventId, int seq);
}
