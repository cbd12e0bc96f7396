using Eventd.Grains.Interfaces.Options;
using Polly;
using Polly.Retry;

namespace Eventd.Grains.Delivery;

/// <summary>
/// The retry policy of a webhook as data: exponential backoff with jitter between base and cap,
/// a receiver's <c>Retry-After</c> honoured (capped the same way), success only on 2xx.
/// </summary>
public static class RetrySchedule
{
    /// <summary>
    /// Attempts that failed before the pipeline ran: the backoff counts them, so a delivery resumed
    /// after a durable wait or a crash keeps growing its waits instead of starting over.
    /// </summary>
    public static readonly ResiliencePropertyKey<int> FailedBefore = new("eventd.failedBefore");

    /// <summary>Sees each wait before it starts.</summary>
    public static readonly ResiliencePropertyKey<Action<TimeSpan>> OnRetryScheduled = new("eventd.onRetryScheduled");

    /// <summary>
    /// A retry pipeline for <paramref name="retries"/> more attempts. What differs per delivery
    /// travels in the context (<see cref="FailedBefore"/>, <see cref="OnRetryScheduled"/>), so one
    /// pipeline per retry count serves every delivery (see <see cref="RetryPipelines"/>).
    /// </summary>
    public static ResiliencePipeline<AttemptOutcome> Pipeline(int retries, DeliveryOptions options, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder<AttemptOutcome> { TimeProvider = time };
        if (retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<AttemptOutcome>
            {
                MaxRetryAttempts = retries,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { Succeeded: false, Refused: false }),
                OnRetry = static args =>
                {
                    if (args.Context.Properties.TryGetValue(OnRetryScheduled, out var onRetryScheduled))
                    {
                        onRetryScheduled(args.RetryDelay);
                    }

                    return ValueTask.CompletedTask;
                },
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(WaitAfter(
                    args.Context.Properties.GetValue(FailedBefore, 0) + args.AttemptNumber + 1,
                    args.Outcome.Result?.RetryAfter,
                    options,
                    Random.Shared.NextDouble())),
            });
        }

        return builder.Build();
    }

    /// <summary>
    /// The wait after the <paramref name="failed"/>-th failed attempt: the receiver's
    /// <c>Retry-After</c> when it sent one (capped like the backoff), else the backoff.
    /// </summary>
    public static TimeSpan WaitAfter(int failed, TimeSpan? retryAfter, DeliveryOptions options, double jitter)
    {
        var cap = TimeSpan.FromMilliseconds(options.BackoffMaxMs);
        return retryAfter is { } wait
            ? (wait < cap ? wait : cap)
            : Backoff(failed, options, jitter);
    }

    /// <summary>
    /// The wait after the <paramref name="failed"/>-th failed attempt: base × 2^(failed−1), capped,
    /// with "equal jitter" (half fixed, half random by <paramref name="jitter"/> in [0, 1)) so
    /// receivers recovering from an outage are not hit by every retry at once.
    /// </summary>
    public static TimeSpan Backoff(int failed, DeliveryOptions options, double jitter)
    {
        var exponent = Math.Clamp(failed - 1, 0, 40);
        var ms = Math.Min(options.BackoffMaxMs, options.BackoffBaseMs * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds((ms / 2) + (ms / 2 * jitter));
    }
}
