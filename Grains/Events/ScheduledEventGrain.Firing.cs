using Eventd.Grains.Buckets;
using Eventd.Grains.Channels;
using Eventd.Grains.Delivery;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace Eventd.Grains.Events;

/// <summary>
/// How the event fires (see the class summary in ScheduledEventGrain.cs): its timer, the fire itself
/// and the hand-off of each fire to delivery, retried by the event until delivery has it.
/// </summary>
public sealed partial class ScheduledEventGrain
{
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
    /// Takes the slot that is due (timers may tick a few milliseconds early: such a tick only re-arms, so
    /// no fire happens before its due time): fires it, or passes it over by the schedule's policies
    /// (see <see cref="DueSlots"/>).
    /// </summary>
    private async Task FireIfDueAsync()
    {
        if (S.Spec is null || S.Cancelled || S.Paused || S.NextFireAt is not { } due || Now < due)
        {
            return;
        }

        var now = Now;
        if (!DueSlots.Take(S, due, now, schedules.Value.MaxCatchup))
        {
            S.UpdatedAt = now;
            await CommitAsync(placeMembership: true);
            return;
        }

        await FireAsync(due, now);
    }

    /// <summary>Fires slot <paramref name="due"/> as the next fire; the state names the slot after it already.</summary>
    private async Task FireAsync(DateTimeOffset due, DateTimeOffset now)
    {
        var spec = S.Spec!;
        var seq = S.FireCount + 1;
        var next = S.NextFireAt;
        var targets = EventTargets.Of(spec);

        // The fire is persisted before anything is sent: a crash after this point re-sends
        // (at least once), a crash before it fires again; it never fires twice in one run.
        S.FireCount = seq;
        S.LastDueAt = due;
        S.UpdatedAt = now;
        if (targets.Count > 0)
        {
            S.AddPending(seq, now + HandOffRetry.Recheck);
        }

        // A single webhook's request, made once the state names this fire (its due time is the request's).
        var only = targets.Count == 1 ? Request(seq, targets[0]) : null;
        var inline = only is not null && FirstAttempt.Suits(only, next, now);

        // A one-shot fire keeps its membership (its score now past) until its delivery ends: if this
        // activation is lost before the fire is handed off, the bucket's sweep wakes the event. An
        // attempt made in this turn usually ends it within milliseconds: the status index learns of the
        // delivery only if it does not (see HandOffFireAsync), and otherwise moves once, to its end.
        await CommitAsync(placeMembership: next is not null, deferIndex: inline);
        metrics.EventFired(now - due);
        LogFired(logger, Id, seq, (now - due).TotalMilliseconds);

        if (spec.Channel is { } channel)
        {
            await channels.PublishAsync(channel, ChannelMessage.For(Id, channel, seq, now, spec.Data));
        }

        if (targets.Count > 0 && !await HandOffFireAsync(seq, targets, only, inline))
        {
            await RetryHandOffLaterAsync();
        }
    }

    /// <summary>
    /// A fire's first hand-off: one webhook (<paramref name="only"/>, its request) gets its first attempt in
    /// this turn when that suits (<paramref name="inline"/>, see <see cref="FirstAttempt"/>); a fan-out's
    /// targets go to their delivery grains at once, side by side. False when any hand-off failed (the event
    /// retries it).
    /// </summary>
    private async Task<bool> HandOffFireAsync(int seq, IReadOnlyList<NamedWebhook> targets, WebhookRequest? only, bool inline)
    {
        if (only is null)
        {
            var handed = await Task.WhenAll(targets.Select(target => handOff.AgainAsync(Request(seq, target))));
            return handed.All(ok => ok);
        }

        var sending = handOff.FirstAsync(only, inline);
        if (inline && !sending.IsCompleted)
        {
            try
            {
                // WaitAsync drops its timer as soon as the attempt ends (most do well within the grace),
                // where a Task.Delay beside it would keep one per fire for the whole grace.
                await sending.WaitAsync(FirstAttempt.IndexGrace, time);
            }
            catch (TimeoutException) when (!sending.IsCompleted)
            {
                await CatchUpIndexAsync();
            }
        }

        var outcome = await sending;
        if (outcome.Result is { } result)
        {
            await SettleDeliveryAsync(only.Target, result);
        }

        // Whatever came of it (the delivery goes on in its grain, its hand-off is retried), the index
        // says so now; a no-op when the settle's commit wrote it.
        await CatchUpIndexAsync();
        return outcome.Handed;
    }

    /// <summary>
    /// Hands every pending fire to the delivery grains of its targets that have not reported yet; when
    /// one fails, the next try is persisted seconds ahead, else the next recheck is due in
    /// <see cref="HandOffRetry.Recheck"/>.
    /// </summary>
    private async Task HandOffPendingAsync()
    {
        var failed = false;
        foreach (var seq in S.PendingDeliveries.ToList())
        {
            foreach (var target in FanOutProgress.Unreported(S, seq).ToList())
            {
                failed |= !await handOff.AgainAsync(Request(seq, target));
            }
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

    /// <summary>
    /// Arms the timer for what comes next while it is near (a fire within the timer window, or a
    /// hand-off of a pending fire); otherwise an event with nothing pending needs no activation until
    /// its bucket wakes it, which keeps a silo's memory proportional to the events due soon.
    /// </summary>
    /// <remarks>
    /// With <paramref name="linger"/>, an event that would be released stays that long first (its timer's
    /// tick releases it): calls racing on it wait in this activation's queue, and releasing it at once
    /// would forward each to a fresh activation that releases again, a chain Orleans rejects past two forwards.
    /// </remarks>
    private void ArmNextOrRelease(TimeSpan? linger = null)
    {
        var now = Now;
        var fire = S.Cancelled || S.Paused ? null : S.NextFireAt is { } due && BucketTiming.IsTimerNear(due, now) ? due : (DateTimeOffset?)null;
        var retry = S.PendingDeliveries.Count > 0 ? S.HandOffAt : null;
        var next = fire is { } f && (retry is not { } r || f <= r) ? fire : retry;
        if (next is { } at)
        {
            ArmTimer(at - now);
            return;
        }

        if (linger is { } stay && S.PendingDeliveries.Count == 0)
        {
            ArmTimer(stay);
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event {EventId} fired #{Seq}, {LatenessMs} ms after its due time")]
    private static partial void LogFired(ILogger logger, string eventId, int seq, double latenessMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} could not persist its hand-off retry; its bucket wakes it for its pending fires")]
    private static partial void LogRetryNotPersisted(ILogger logger, Exception exception, string eventId);
}
