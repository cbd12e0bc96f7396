using Eventd.Grains.Endpoints;
using Eventd.Grains.Events;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Telemetry;
using Microsoft.Extensions.Logging;

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
    EndpointGate gate,
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
        _withdrawn = false;
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
            if (EndpointGate.IsRefusal(first) || S.AttemptsInBudget >= request.Webhook.Retries + 1)
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
        using var waits = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _runWaits = waits;
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

            if (S.Result is null)
            {
                await TakeOrderingTurnAsync(request, waits.Token);
                if (await SendAttemptsAsync(request, waits.Token) == Sent.Deferred)
                {
                    return;
                }
            }

            await ReportAsync(request, S.Result!);
        }
        catch (OperationCanceledException) when (_withdrawn && !cancellationToken.IsCancellationRequested)
        {
            await SettleWithdrawnAsync(request);
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
            _runWaits = null;
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

    /// <summary>
    /// Ends the delivery: lists a failed fire as a dead letter, removes the retry reminder, reports
    /// the result to the fire's event and lets the activation go.
    /// </summary>
    private async Task ReportAsync(WebhookRequest request, DeliveryResult result)
    {
        if (!result.Succeeded && !result.Withdrawn)
        {
            // Written on every report, not once: a crash between the state and the index
            // cannot leave a failed fire unlisted.
            await deadLetters.AddAsync(request.Project, Key, new DeadLetter(
                request.EventId, request.Seq, request.Webhook.Url, S.AttemptsInBudget, result.Error, result.At));
        }

        await UnregisterRetryReminderAsync();
        await LeaveOrderingKeyAsync(request);
        await GrainFactory.GetGrain<IScheduledEventGrain>(request.EventId).CompleteDelivery(request.Target, result);
        DeactivateOnIdle();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        SetRetryPending(false);
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryKey} stopped before reporting; its event hands it over again within 30 s")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string deliveryKey);
}
