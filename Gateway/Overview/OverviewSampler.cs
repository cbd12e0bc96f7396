using Eventd.Gateway.Hosting;
using Eventd.Grains.Interfaces.Telemetry;

namespace Eventd.Gateway.Overview;

/// <summary>
/// Every <see cref="Interval"/>, adds the live silos' summed snapshots to the <see cref="OverviewHistory"/>:
/// one grain call, however many consoles are open. The console polls at the same pace.
/// </summary>
public sealed partial class OverviewSampler(
    OverviewHistory history,
    ClusterConnection cluster,
    TimeProvider time,
    ILogger<OverviewSampler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            await SampleAsync();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task SampleAsync()
    {
        if (!cluster.IsStarted)
        {
            return;
        }

        try
        {
            var live = await cluster.Client.GetGrain<IClusterMetricsGrain>(IClusterMetricsGrain.Key).Live();

            // A sum of some silos only would chart as a sudden stop; no sample leaves a gap instead.
            if (live.Complete)
            {
                history.Record(time.GetUtcNow(), MetricsSnapshot.Sum(live.Snapshots));
            }
        }
        catch (Exception ex)
        {
            LogSampleFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the silos' metrics snapshots for the console's overview")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);
}
