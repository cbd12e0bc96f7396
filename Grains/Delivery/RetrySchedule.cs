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
    public static ResiliencePipeline<AttemptOutcome> Pipeline(int retries, DeliveryOptions options, TimeProvider time, Action<TimeSpan>? onRetryScheduled = null)
    {
        var builder = new ResiliencePipelineBuilder<AttemptOutcome> { TimeProvider = time };
        if (retries > 0)
        {
            var cap = TimeSpan.FromMilliseconds(options.BackoffMaxMs);
            builder.AddRetry(new RetryStrategyOptions<AttemptOutcome>
            {
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(options.BackoffBaseMs),
                MaxDelay = cap,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { Succeeded: false }),
                OnRetry = args =>
                {
                    onRetryScheduled?.Invoke(args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result?.RetryAfter is { } wait ? (TimeSpan?)(wait < cap ? wait : cap) : null),
            });
        }

        return builder.Build();
    }
}
