using System.Collections.Immutable;
using Eventd.Grains.Interfaces.Telemetry;

namespace Eventd.Grains.Telemetry;

/// <summary>
/// The latest snapshot each silo reported and when it came. A silo silent for <see cref="StaleAfter"/>
/// (stopped, cut off) or held dead by the membership (a quicker answer for a crash or a stop) drops out,
/// so the cluster's sum loses its share instead of counting it for ever.
/// </summary>
public sealed class SiloReports
{
    /// <summary>Twelve report intervals: a silo that merely missed a few is still counted.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(60);

    private readonly Dictionary<SiloAddress, Report> _latest = [];

    public void Record(SiloAddress silo, MetricsSnapshot snapshot, DateTimeOffset now) => _latest[silo] = new(snapshot, now);

    /// <summary>The snapshots still live at <paramref name="now"/>; the others are forgotten.</summary>
    public ImmutableArray<MetricsSnapshot> Live(DateTimeOffset now, Func<SiloAddress, bool> isDead)
    {
        foreach (var (silo, report) in _latest)
        {
            if (now - report.ReceivedAt >= StaleAfter || isDead(silo))
            {
                _latest.Remove(silo);
            }
        }

        return [.. _latest.Values.Select(report => report.Snapshot)];
    }

    private sealed record Report(MetricsSnapshot Snapshot, DateTimeOffset ReceivedAt);
}
