using System.Collections.Concurrent;
using Eventd.Grains.Interfaces.Options;
using Microsoft.Extensions.Options;
using Polly;

namespace Eventd.Grains.Delivery;

/// <summary>
/// The retry pipelines of a silo, one per retry count, built once: building one per delivery was
/// a few per cent of a busy silo's CPU.
/// </summary>
public sealed class RetryPipelines(IOptions<DeliveryOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<int, ResiliencePipeline<AttemptOutcome>> _byRetries = new();

    private readonly DeliveryOptions _options = options.Value;

    public ResiliencePipeline<AttemptOutcome> For(int retries) =>
        _byRetries.GetOrAdd(retries, n => RetrySchedule.Pipeline(n, _options, time));

    /// <summary>The wait before the retry that follows the <paramref name="failed"/>-th failed attempt.</summary>
    public TimeSpan WaitAfter(int failed, TimeSpan? retryAfter) =>
        RetrySchedule.WaitAfter(failed, retryAfter, _options, Random.Shared.NextDouble());
}
