using Eventd.Grains.Endpoints;
using Eventd.Grains.Events;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Logging;
using Polly;

namespace Eventd.Grains.Delivery;

/// <summary>
/// How the delivery sends its attempts (see the class summary in WebhookDeliveryGrain.cs): through
/// the Polly retry pipeline, each attempt persisted as it ends, and the waits between them, sat out
/// in memory or, when too long for that, persisted with a reminder; the pending-retries gauge
/// counts the deliveries waiting here.
/// </summary>
public sealed partial class WebhookDeliveryGrain
{
    /// <summary>How a run of attempts ended: the delivery has its result, or it waits for a reminder.</summary>
    private enum Sent
    {
        Finished,
        Deferred,
    }

    /// <summary>
    /// Sends attempts through the pipeline until one ends the delivery, or until the pipeline schedules
    /// a wait longer than the reminder period: that run is stopped and the wait persisted.
    /// </summary>
    private async Task<Sent> SendAttemptsAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        S.NextAttemptAt = null;
        var failedBefore = S.AttemptsInBudget;
        var remainingRetries = Math.Max(0, request.Webhook.Retries - failedBefore);
        using var defer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        TimeSpan? longWait = null;
        // Polly must resume on the grain's scheduler: state is written between attempts.
        var context = ResilienceContextPool.Shared.Get(continueOnCapturedContext: true, defer.Token);
        context.Properties.Set(RetrySchedule.FailedBefore, failedBefore);
        context.Properties.Set(RetrySchedule.OnRetryScheduled, wait =>
        {
            SetRetryPending(true);
            if (wait > FireTiming.ReminderPeriod)
            {
                // Too long to hold an activation for: persist it and let a reminder wake us.
                longWait = wait;
                defer.Cancel();
            }
        });
        try
        {
            await pipelines.For(remainingRetries).ExecuteAsync(static async (ctx, grain) => await grain.AttemptAsync(ctx.CancellationToken), context, this);
            return Sent.Finished;
        }
        catch (OperationCanceledException) when (longWait is { } wait && !cancellationToken.IsCancellationRequested)
        {
            await PersistWaitAsync(wait, cancellationToken);
            return Sent.Deferred;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<AttemptOutcome> AttemptAsync(CancellationToken cancellationToken)
    {
        SetRetryPending(false);
        var request = S.Request!;
        var number = S.Attempts.Count + 1;
        await StartUnderFlowControlAsync(request, cancellationToken);
        CommitToSend();
        AttemptOutcome outcome;
        try
        {
            outcome = await gate.SendAsync(request, number, cancellationToken);
        }
        finally
        {
            await EndUnderFlowControlAsync(request);
        }

        var attempt = outcome.Attempt;
        S.Attempts.Add(attempt);
        if (outcome.Succeeded || outcome.Refused || S.AttemptsInBudget >= request.Webhook.Retries + 1)
        {
            S.Result = DeliveryResult.After(attempt, S.AttemptsInBudget);
        }

        await state.WriteStateAsync(cancellationToken);
        return outcome;
    }

    /// <summary>
    /// Persists the wait before the next attempt. One longer than the reminder period gets a
    /// reminder, registered before the state is written: a crash in between leaves a reminder
    /// that retries early, never a wait that nothing wakes.
    /// </summary>
    private async Task PersistWaitAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (wait > FireTiming.ReminderPeriod)
        {
            await this.RegisterOrUpdateReminder(RetryReminder, wait, FireTiming.ReminderPeriod, CancellationToken.None);
            S.HasRetryReminder = true;
            LogDeferred(logger, Key, wait.TotalSeconds);
        }

        S.NextAttemptAt = Now + wait;
        await state.WriteStateAsync(cancellationToken);
    }

    private async Task UnregisterRetryReminderAsync()
    {
        if (S.HasRetryReminder && await this.GetReminder(RetryReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        S.HasRetryReminder = false;
    }

    /// <summary>Keeps the silo's pending-retries gauge true: one per delivery waiting to retry here.</summary>
    private void SetRetryPending(bool pending)
    {
        if (_retryPending != pending)
        {
            _retryPending = pending;
            metrics.RetryPending(pending ? 1 : -1);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryKey} waits {WaitSeconds} s for its next attempt, armed by a reminder")]
    private static partial void LogDeferred(ILogger logger, string deliveryKey, double waitSeconds);
}
