using Eventd.Grains.Interfaces.Telemetry;
using Eventd.Grains.Telemetry;

namespace Eventd.Silo.Hosting;

/// <summary>
/// Reports this silo's <see cref="EventdMetrics.Snapshot"/> to the <see cref="IClusterMetricsGrain"/> every
/// <see cref="ClusterMetricsGrain.ReportInterval"/>, where the gateway reads every silo's to add them up into
/// the cluster's figures. A silo that stops reporting drops out of the sum within a minute.
/// </summary>
public sealed partial class ClusterMetricsReporter(
    EventdMetrics metrics,
    IGrainFactory grains,
    ILocalSiloDetails silo,
    TimeProvider time,
    ILogger<ClusterMetricsReporter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var cluster = grains.GetGrain<IClusterMetricsGrain>(IClusterMetricsGrain.Key);
        using var timer = new PeriodicTimer(ClusterMetricsGrain.ReportInterval, time);
        do
        {
            await ReportAsync(cluster);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task ReportAsync(IClusterMetricsGrain cluster)
    {
        try
        {
            await cluster.Report(silo.SiloAddress, metrics.Snapshot());
        }
        catch (Exception ex)
        {
            // The next report, 5 s on, carries the whole totals again: nothing is lost but freshness.
            LogReportFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report the metrics snapshot to the cluster metrics grain")]
    private static partial void LogReportFailed(ILogger logger, Exception exception);
}
