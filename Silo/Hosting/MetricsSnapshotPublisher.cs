using Eventd.Grains.Interfaces.Telemetry;
using Eventd.Grains.Telemetry;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Eventd.Silo.Hosting;

/// <summary>
/// Publishes this silo's <see cref="EventdMetrics.Snapshot"/> to Redis every 5 s, where the gateway
/// adds up every silo's into the cluster's figures. The key expires when the silo stops refreshing
/// it, so a dead silo drops out of the sum within a minute.
/// </summary>
public sealed partial class MetricsSnapshotPublisher(
    EventdMetrics metrics,
    IConnectionMultiplexer redis,
    ILocalSiloDetails silo,
    IOptions<ClusterOptions> cluster,
    TimeProvider time,
    ILogger<MetricsSnapshotPublisher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var serviceId = cluster.Value.ServiceId;
        var key = MetricsKeys.Silo(serviceId, silo.SiloAddress.ToParsableString());
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            await PublishAsync(MetricsKeys.Silos(serviceId), key);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task PublishAsync(string silosKey, string key)
    {
        try
        {
            var db = redis.GetDatabase();
            // Added to the set on every round, so a silo the gateway dropped while Redis was away comes back.
            await Task.WhenAll(
                db.StringSetAsync(key, metrics.Snapshot().ToJson(), Lifetime),
                db.SetAddAsync(silosKey, key));
        }
        catch (Exception ex)
        {
            LogPublishFailed(logger, key, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the metrics snapshot to {Key}")]
    private static partial void LogPublishFailed(ILogger logger, string key, Exception exception);
}
