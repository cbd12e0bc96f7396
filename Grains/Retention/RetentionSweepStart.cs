using Eventd.Grains.Hosting;
using Eventd.Grains.Indexes;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace Eventd.Grains.Retention;

/// <summary>
/// Starts every shard's retention sweep once the silo is active (each silo does, idempotently: the
/// reminders it registers survive the silo). Retried in the background until it works, so a Redis
/// that is slow to answer at start-up delays the sweep, not the silo.
/// </summary>
public sealed partial class RetentionSweepStart(IGrainFactory grains, ILogger<RetentionSweepStart> logger) : ActiveSiloTask
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    protected override async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.WhenAll(EveryProjectShards.All.Select(shard => grains.GetGrain<IRetentionSweepGrain>(shard).Start()));
                return;
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                LogStartFailed(logger, ex, RetryAfter.TotalSeconds);
                await Task.Delay(RetryAfter, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention sweeps could not be started; trying again in {Seconds} s")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, double seconds);
}
