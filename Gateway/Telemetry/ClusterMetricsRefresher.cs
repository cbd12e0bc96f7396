using Eventd.Grains.Interfaces.Telemetry;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Eventd.Gateway.Telemetry;

/// <summary>
/// Every 5 s, reads the snapshot of every silo still publishing, adds them up into
/// <see cref="ClusterMetrics"/>, and forgets silos whose snapshot has expired.
/// </summary>
public sealed partial class ClusterMetricsRefresher(
    ClusterMetrics metrics,
    IConnectionMultiplexer redis,
    IOptions<ClusterOptions> cluster,
    TimeProvider time,
    ILogger<ClusterMetricsRefresher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var silosKey = MetricsKeys.Silos(cluster.Value.ServiceId);
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            await RefreshAsync(silosKey);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RefreshAsync(string silosKey)
    {
        try
        {
            var db = redis.GetDatabase();
            var keys = await db.SetMembersAsync(silosKey);
            var values = await Task.WhenAll(keys.Select(key => db.StringGetAsync(key.ToString())));
            var expired = keys.Where((_, i) => values[i].IsNull).ToArray();
            if (expired.Length > 0)
            {
                await db.SetRemoveAsync(silosKey, expired);
            }

            var snapshots = new List<MetricsSnapshot>();
            for (var i = 0; i < keys.Length; i++)
            {
                if (values[i].IsNull)
                {
                    continue;
                }

                if (MetricsSnapshot.FromJson(values[i].ToString()) is { } snapshot)
                {
                    snapshots.Add(snapshot);
                }
                else
                {
                    LogUnreadable(logger, keys[i].ToString());
                }
            }

            metrics.Update(MetricsSnapshot.Sum(snapshots), snapshots.Count);
        }
        catch (Exception ex)
        {
            // The last sum stays exported: dropping to zero would read as a counter reset.
            LogRefreshFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the silos' metrics snapshots; the cluster figures are kept as they were")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipping the unreadable metrics snapshot at {Key}")]
    private static partial void LogUnreadable(ILogger logger, string key);
}
