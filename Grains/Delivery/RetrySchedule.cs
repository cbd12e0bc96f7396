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
    /// A retry pipeline for <paramref name="retries"/> more attempts. The backoff counts
    /// <paramref name="failedBefore"/> (attempts that failed before this pipeline ran), so a delivery
    /// resumed after a durable wait or a crash keeps growing its waits instead of starting over.
    /// <paramref name="onRetryScheduled"/> sees each wait before it starts.
    /// </summary>
    public static ResiliencePipeline<AttemptOutcome> Pipeline(
        int retries,
        DeliveryOptions options,
        TimeProvider time,
        Action<TimeSpan>? onRetryScheduled = null,
        int failedBefore = 0)
    {
        var builder = new ResiliencePipelineBuilder<AttemptOutcome> { TimeProvider = time };
        if (retries > 0)
        {
            var cap = TimeSpan.FromMilliseconds(options.BackoffMaxMs);
            builder.AddRetry(new RetryStrategyOptions<AttemptOutcome>
            {
                MaxRetryAttempts = retries,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { Succeeded: false }),
                OnRetry = args =>
                {
                    onRetryScheduled?.Invoke(args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    args.Outcome.Result?.RetryAfter is { } wait
                        ? (wait < cap ? wait : cap)
                        : Backoff(failedBefore + args.AttemptNumber + 1, options, Random.Shared.NextDouble())),
            });
        }

        return builder.Build();
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
