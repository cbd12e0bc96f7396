using Eventd.Grains.Interfaces.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Eventd.Grains.Telemetry;

/// <summary>
/// The cluster's metrics view (see <see cref="IClusterMetricsGrain"/>): in memory only, since every silo
/// reports its whole totals again every <see cref="ReportInterval"/>.
/// </summary>
public sealed partial class ClusterMetricsGrain(
    [FromKeyedServices(GrainClocks.ClusterMetrics)] TimeProvider time,
    IClusterMembershipService membership,
    ILogger<ClusterMetricsGrain> logger) : Grain, IClusterMetricsGrain
{
    /// <summary>The key of the grain's <see cref="TimeProvider"/>: its own, so a test can move it without moving every grain's.</summary>

    /// <summary>How often each silo reports its snapshot.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(5);

    /// <summary>Two report intervals: by then every live silo has reported to a new activation, even one a report late.</summary>
    public static readonly TimeSpan CompleteAfter = 2 * ReportInterval;

    private readonly SiloReports _reports = new();
    private readonly DateTimeOffset _activatedAt = time.GetUtcNow();

    public Task Report(SiloAddress silo, MetricsSnapshot snapshot)
    {
        if (snapshot.HasStandardBuckets)
        {
            _reports.Record(silo, snapshot, time.GetUtcNow());
        }
        else
        {
            LogOtherBuckets(logger, silo);
        }

        return Task.CompletedTask;
    }

    public Task<LiveSnapshots> Live()
    {
        var now = time.GetUtcNow();
        var members = membership.CurrentSnapshot;
        var live = _reports.Live(now, silo => members.GetSiloStatus(silo) == SiloStatus.Dead);
        return Task.FromResult(new LiveSnapshots(live, now - _activatedAt >= CompleteAfter));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring the metrics snapshot of silo {Silo}: its latency buckets are not this version's")]
    private static partial void LogOtherBuckets(ILogger logger, SiloAddress silo);
}
