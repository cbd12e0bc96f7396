using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace Eventd.Grains.Events;

/// <summary>
/// What stops or holds the event's fires (see the class summary in ScheduledEventGrain.cs): cancel, and
/// pause and resume (API.md "Pause and resume"). A paused event is dormant: no timer, no bucket membership
/// unless a fire is still delivering. Its slots that came due are counted skipped when it resumes (and
/// shown so while it is paused).
/// </summary>
public sealed partial class ScheduledEventGrain
{
    public async Task<CancelOutcome> Cancel()
    {
        await ForgetIfExpiredAsync();
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
            S.BufferedSlot = null;
            S.UpdatedAt = Now;
            await CommitAsync(placeMembership: false);
            await WithdrawPendingAsync();
            ArmNextOrRelease();
        }

        return CancelOutcome.Cancelled;
    }

    /// <summary>
    /// Withdraws the pending fires' deliveries that have made no attempt yet (a fire waiting at its keys):
    /// they send nothing and report so. One that cannot be told goes on, as before a cancel.
    /// </summary>
    private async Task WithdrawPendingAsync()
    {
        foreach (var seq in S.PendingDeliveries.ToList())
        {
            foreach (var target in FanOutProgress.Unreported(S, seq).ToList())
            {
                try
                {
                    await GrainFactory.GetGrain<IWebhookDeliveryGrain>(DeliveryKeys.For(Id, seq, target.Name)).Withdraw(seq);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogWithdrawFailed(logger, ex, Id, seq);
                }
            }
        }
    }

    public async Task<PauseOutcome> Pause()
    {
        await ForgetIfExpiredAsync();
        if (Refusal() is { } refused)
        {
            return refused;
        }

        if (!S.Paused)
        {
            S.Paused = true;
            if (S.BufferedSlot is not null)
            {
                // The slot waiting for the fire still delivering would start after the pause: it is skipped.
                S.BufferedSlot = null;
                S.SkippedFires++;
            }

            S.UpdatedAt = Now;
            await CommitAsync(placeMembership: true);
            ArmNextOrRelease();
        }

        return PauseOutcome.Done;
    }

    public async Task<PauseOutcome> Resume()
    {
        await ForgetIfExpiredAsync();
        if (Refusal() is { } refused)
        {
            return refused;
        }

        if (S.Paused)
        {
            if (S.NextFireAt is { } due)
            {
                // The slots passed while paused count as skipped; a one-off that came due meanwhile fires now.
                (S.NextFireAt, var skipped) = DueSlots.PassedWhilePaused(S.Spec!.Schedule, due, Now);
                S.SkippedFires += skipped;
            }

            S.Paused = false;

            S.UpdatedAt = Now;
            await CommitAsync(placeMembership: true);
            ArmNextOrRelease();
        }

        return PauseOutcome.Done;
    }

    private PauseOutcome? Refusal() =>
        S.Spec is null ? PauseOutcome.NotFound
        : S.Cancelled || S.IsSettled ? PauseOutcome.Finished
        : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} was cancelled but could not withdraw fire #{Seq}: it goes on if its delivery starts")]
    private static partial void LogWithdrawFailed(ILogger logger, Exception exception, string eventId, int seq);
}
