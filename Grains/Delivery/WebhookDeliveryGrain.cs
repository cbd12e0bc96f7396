using Eventd.Grains.Events;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Options;
using Eventd.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace Eventd.Grains.Delivery;

/// <summary>
/// One fire to one target. Its event makes the first attempt itself (see <see cref="FirstAttempt"/>)
/// and hands over only a fire that attempt did not deliver, or one it could not make. Attempts run
/// in a grain timer, off the caller's turn, through the Polly retry pipeline; each attempt is
/// persisted as it ends, so a delivery resumed after a crash keeps its attempt count and never
/// exceeds its retry budget. A wait longer than the reminder period is persisted as
/// <c>NextAttemptAt</c> and armed by a reminder instead of being sat out in memory, so it
/// survives any restart.
/// </summary>
public sealed partial class WebhookDeliveryGrain(
    [PersistentState(WebhookDeliveryState.Name, StorageNames.Default)] IPersistentState<WebhookDeliveryState> state,
    WebhookSender sender,
    RetryPipelines pipelines,
    DeadLetterIndex deadLetters,
    TimeProvider time,
    EventdMetrics metrics,
    ILogger<WebhookDeliveryGrain> logger) : Grain, IWebhookDeliveryGrain, IRemindable
{
    private const string RetryReminder = "retry";

    private IGrainTimer? _run;
    private bool _running;
    private bool _retryPending;

    /// <summary>A redelivery reset the budget in memory; the run persists it before its first attempt.</summary>
    private bool _resetToPersist;

    private WebhookDeliveryState S => state.State;
    private DateTimeOffset Now => time.GetUtcNow();
    private string Key => this.GetPrimaryKeyString();

    public Task Deliver(WebhookRequest request)
    {
        S.Request ??= request;
        ScheduleRun();
        return Task.CompletedTask;
    }

    public Task Redeliver(WebhookRequest request)
    {
        if (_running || (S.Request is not null && S.Result is null))
        {
            // Under way, or waiting for its next attempt: it needs no second start.
            ScheduleRun();
            return Task.CompletedTask;
        }

        S.Request ??= request;
        S.BudgetStart = S.Attempts.Count;
        S.Result = null;
        S.NextAttemptAt = null;
        _resetToPersist = true;
        ScheduleRun();
        return Task.CompletedTask;
    }

    public async Task TakeOver(WebhookRequest request, DeliveryAttempt first, TimeSpan? retryAfter)
    {
        if (S.Request is null)
        {
            S.Request = request;
            S.Attempts.Add(first);
            if (S.AttemptsInBudget >= request.Webhook.Retries + 1)
            {
                S.Result = DeliveryResult.After(first, S.AttemptsInBudget);
                await state.WriteStateAsync();
            }
            else
            {
                SetRetryPending(true);
                await PersistWaitAsync(pipelines.WaitAfter(S.AttemptsInBudget, retryAfter), CancellationToken.None);
            }
        }

        ScheduleRun();
    }

    public Task<IReadOnlyList<DeliveryAttempt>> GetAttempts()
    {
        if (S.Request is null)
        {
            // Not kept: the fire's event may yet record its first attempt here, straight in storage.
            DeactivateOnIdle();
        }

        return Task.FromResult<IReadOnlyList<DeliveryAttempt>>(S.Attempts.ToList());
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (S.Request is null)
        {
            // Nothing was ever persisted here: the event hands the fire over again if it needs to.
            S.HasRetryReminder = true;
            await UnregisterRetryReminderAsync();
            return;
        }

        ScheduleRun();
    }

    /// <summary>Arms the run for now, or for <c>NextAttemptAt</c> when it is near; a far one waits for the reminder.</summary>
    private void ScheduleRun()
    {
        if (_running)
        {
            return;
        }

        var wait = S.NextAttemptAt is { } at ? FireTiming.Positive(at - Now) : TimeSpan.Zero;
        if (wait > FireTiming.NearWindow)
        {
            return;
        }

        if (_run is null)
        {
            _run = this.RegisterGrainTimer(
                static (grain, ct) => grain.RunAsync(ct),
                this,
                new GrainTimerCreationOptions(wait, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
        else
        {
            _run.Change(wait, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var request = S.Request!;
        _running = true;
        try
        {
            if (S.NextAttemptAt is { } at && at > Now)
            {
                return;
            }

            if (_resetToPersist)
            {
                await state.WriteStateAsync(cancellationToken);
                await deadLetters.RemoveAsync(request.Project, Key);
                _resetToPersist = false;
            }

            if (S.Result is null && await SendAttemptsAsync(request, cancellationToken) == Sent.Deferred)
            {
                return;
            }

            var result = S.Result!;
            if (!result.Succeeded)
            {
                // Written on every report, not once: a crash between the state and the index
                // cannot leave a failed fire unlisted.
                await deadLetters.AddAsync(request.Project, Key, new DeadLetter(
                    request.EventId, request.Seq, request.Webhook.Url, S.AttemptsInBudget, result.Error, result.At));
            }

            await UnregisterRetryReminderAsync();
            await GrainFactory.GetGrain<IScheduledEventGrain>(request.EventId).CompleteDelivery(request.Target, result);
            DeactivateOnIdle();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The event keeps this fire pending and hands it to us again within HandOffRetry.Recheck
            // (its own timer, or its bucket if its activation is gone); a finished delivery reports again then.
            LogRunFailed(logger, ex, Key);
        }
        finally
        {
            _running = false;
            if (S.NextAttemptAt is not null && S.Result is null)
            {
                ScheduleRun();
            }
            else
            {
                _run?.Dispose();
                _run = null;
            }
        }
    }

    private enum Sent
    {
        Finished,
        Deferred,
    }

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

    private async Task<AttemptOutcome> AttemptAsync(CancellationToken cancellationToken)
    {
        SetRetryPending(false);
        var request = S.Request!;
        var number = S.Attempts.Count + 1;
        var outcome = await sender.SendAsync(request, number, cancellationToken);
        var attempt = outcome.Attempt;
        S.Attempts.Add(attempt);
        if (outcome.Succeeded || S.AttemptsInBudget >= request.Webhook.Retries + 1)
        {
            S.Result = DeliveryResult.After(attempt, S.AttemptsInBudget);
        }

        await state.WriteStateAsync(cancellationToken);
        return outcome;
    }

    private async Task UnregisterRetryReminderAsync()
    {
        if (S.HasRetryReminder && await this.GetReminder(RetryReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        S.HasRetryReminder = false;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        SetRetryPending(false);
        return base.OnDeactivateAsync(reason, cancellationToken);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryKey} stopped before reporting; its event hands it over again within 30 s")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string deliveryKey);
}
