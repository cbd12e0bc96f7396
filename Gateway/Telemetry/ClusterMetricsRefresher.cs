using Eventd.Gateway.Hosting;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Telemetry;

namespace Eventd.Gateway.Telemetry;

/// <summary>
/// Every 5 s, asks the cluster metrics grain for the live silos' snapshots and adds them up into
/// <see cref="ClusterMetrics"/>, and reads the count of disabled endpoints (see <see cref="IEndpointListGrain"/>).
/// </summary>
public sealed partial class ClusterMetricsRefresher(
    ClusterMetrics metrics,
    ClusterConnection cluster,
    TimeProvider time,
    ILogger<ClusterMetricsRefresher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            await RefreshAsync();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RefreshAsync()
    {
        // Until the client has joined there is nothing to read; ClusterConnection logs the wait.
        if (!cluster.IsStarted)
        {
            return;
        }

        try
        {
            var live = await cluster.Client.GetGrain<IClusterMetricsGrain>(IClusterMetricsGrain.Key).Live();
            if (live.Complete)
            {
                metrics.Update(MetricsSnapshot.Sum(live.Snapshots), live.Snapshots.Length);
            }

            metrics.UpdateDisabledEndpoints(await cluster.Client.GetGrain<IEndpointListGrain>(0).DisabledCount());
        }
        catch (Exception ex)
        {
            // The last sum stays exported: dropping to zero would read as a counter reset.
            LogRefreshFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the silos' metrics snapshots; the cluster figures are kept as they were")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
