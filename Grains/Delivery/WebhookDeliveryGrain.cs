using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Options;
using Eventd.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace Eventd.Grains.Delivery;

/// <summary>
/// One fire to one target. Attempts run in a grain timer, off the caller's turn, through the
/// Polly retry pipeline; each attempt is persisted as it ends, so a delivery resumed after a
/// crash keeps its attempt count and never exceeds its retry budget.
/// </summary>
public sealed partial class WebhookDeliveryGrain(
    [PersistentState("delivery", StorageNames.Default)] IPersistentState<WebhookDeliveryState> state,
    WebhookSender sender,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    EventdMetrics metrics,
    ILogger<WebhookDeliveryGrain> logger) : Grain, IWebhookDeliveryGrain
{
    private IGrainTimer? _run;
    private bool _retryPending;

    private WebhookDeliveryState S => state.State;

    public Task Deliver(WebhookRequest request)
    {
        if (_run is null)
        {
            S.Request ??= request;
            _run = this.RegisterGrainTimer(
                static (grain, ct) => grain.RunAsync(ct),
                this,
                new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DeliveryAttempt>> GetAttempts() => Task.FromResult<IReadOnlyList<DeliveryAttempt>>(S.Attempts.ToList());

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var request = S.Request!;
        try
        {
            if (S.Result is null)
            {
                await SendAttemptsAsync(request, cancellationToken);
            }

            await GrainFactory.GetGrain<IScheduledEventGrain>(request.EventId).CompleteDelivery(request.Target, S.Result!);
            DeactivateOnIdle();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The event keeps this fire pending and its reminder hands it to us again.
            LogRunFailed(logger, ex, this.GetPrimaryKeyString());
        }
        finally
        {
            _run?.Dispose();
            _run = null;
        }
    }

    private async Task SendAttemptsAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        var budget = request.Webhook.Retries + 1;
        var remainingRetries = Math.Max(0, budget - S.Attempts.Count - 1);
        var pipeline = RetrySchedule.Pipeline(remainingRetries, options.Value, time, _ => SetRetryPending(true));

        // Polly must resume on the grain's scheduler: state is written between attempts.
        var context = ResilienceContextPool.Shared.Get(continueOnCapturedContext: true, cancellationToken);
        try
        {
            await pipeline.ExecuteAsync(
                static async (ctx, grain) => await grain.AttemptAsync(ctx.CancellationToken),
                context,
                this);
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
        var outcome = await sender.SendAsync(request, number, cancellationToken);
        var attempt = outcome.Attempt;
        S.Attempts.Add(attempt);
        if (outcome.Succeeded || number >= request.Webhook.Retries + 1)
        {
            S.Result = new DeliveryResult
            {
                Succeeded = outcome.Succeeded,
                Attempts = number,
                StatusCode = attempt.StatusCode,
                Error = attempt.Error,
                At = attempt.At,
                Seq = request.Seq,
            };
        }

        await state.WriteStateAsync(cancellationToken);
        metrics.AttemptFinished(outcome.Succeeded, attempt.DurationMs);
        LogAttempt(logger, request.EventId, request.Seq, number, attempt.StatusCode, attempt.Error);
        return outcome;
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery of {EventId} #{Seq}, attempt {Attempt}: status {StatusCode}, error {Error}")]
    private static partial void LogAttempt(ILogger logger, string eventId, int seq, int attempt, int? statusCode, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryKey} stopped before reporting; the event's reminder resumes it")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string deliveryKey);
}
