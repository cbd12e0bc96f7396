namespace Eventd.Grains.Interfaces.Telemetry;

/// <summary>
/// The latest <see cref="MetricsSnapshot"/> of every live silo, held in memory by one grain at
/// <see cref="Key"/>: each silo reports to it every few seconds and the gateway reads it to export the
/// cluster's figures. Metrics are a view, not durable data: a lost activation is refilled by the next reports.
/// </summary>
[Alias("Eventd.IClusterMetricsGrain")]
public interface IClusterMetricsGrain : IGrainWithIntegerKey
{
    /// <summary>The cluster's grain key.</summary>
    const long Key = 0;

    /// <summary>Keeps <paramref name="snapshot"/> as the figures of <paramref name="silo"/>, replacing its previous report.</summary>
    [Alias("Report")]
    Task Report(SiloAddress silo, MetricsSnapshot snapshot);

    /// <summary>The snapshots of the silos heard from lately that the cluster's membership does not hold dead.</summary>
    [Alias("Live")]
    Task<LiveSnapshots> Live();
}
