using System.Collections.Immutable;

namespace Eventd.Grains.Interfaces.Telemetry;

/// <summary>
/// What <see cref="IClusterMetricsGrain.Live"/> answers: one snapshot per live silo. <see cref="Complete"/>
/// is false while a new activation may not have heard from every silo yet (it replaced one lost with its
/// silo): a sum of some silos only would read as a counter reset, so the gateway keeps its last sum instead.
/// </summary>
[GenerateSerializer, Immutable, Alias("Eventd.LiveSnapshots")]
public sealed record LiveSnapshots([property: Id(0)] ImmutableArray<MetricsSnapshot> Snapshots, [property: Id(1)] bool Complete);
