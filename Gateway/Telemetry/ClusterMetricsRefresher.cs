using Eventd.Gateway.Hosting;
using Eventd.Gateway.Overview;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Telemetry;

namespace Eventd.Gateway.Telemetry;

/// <summary>
/// Every <see cref="Interval"/>, asks the cluster metrics grain once for the live silos' snapshots, adds them up
/// into <see cref="ClusterMetrics"/> (the Prometheus figures) and into the console's <see cref="OverviewHistory"/>,
/// and reads the count of disabled endpoints (see <see cref="IEndpointListGrain"/>): one grain call, however
/// many scrapes and consoles there are. The console polls at the same pace.
/// </summary>
public sealed partial class ClusterMetricsRefresher(
    ClusterMetrics metrics,
    OverviewHistory history,
    ClusterConnection cluster,
    TimeProvider time,
    ILogger<ClusterMetricsRefresher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

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

            // A sum of some silos only would read as a counter reset and chart as a sudden stop: the last
            // sum stays exported, and the overview has a gap instead.
            if (live.Complete)
            {
                var total = MetricsSnapshot.Sum(live.Snapshots);
                metrics.Update(total, live.Snapshots.Length);
                history.Record(time.GetUtcNow(), total);
            }

            metrics.UpdateDisabledEndpoints(await cluster.Client.GetGrain<IEndpointListGrain>(0).DisabledCount());
        }
        catch (Exception ex)
        {
            // The last sum stays exported: dropping to zero would read as a counter reset.
            LogRefreshFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the silos' metrics snapshots; the cluster figures and the overview are kept as they were")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
