using System.Collections.Immutable;

namespace Eventd.Grains.Interfaces;

/// <summary>An event as it stands: its spec and where it is in its life.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.EventView")]
public sealed record EventView
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required EventSpec Spec { get; init; }
    [Id(2)] public required EventStatus Status { get; init; }
    [Id(3)] public DateTimeOffset CreatedAt { get; init; }
    [Id(4)] public DateTimeOffset UpdatedAt { get; init; }
    [Id(5)] public DateTimeOffset? NextFireAt { get; init; }
    [Id(6)] public int FireCount { get; init; }
    [Id(7)] public DeliveryResult? LastDelivery { get; init; }

    /// <summary>A fan-out's last result per target name (<see cref="EventSpec.Targets"/>); a target missing has none yet.</summary>
    [Id(9)] public ImmutableDictionary<string, DeliveryResult> TargetResults { get; init; } = ImmutableDictionary<string, DeliveryResult>.Empty;

    /// <summary>Slots not fired: skipped by <c>catchup: skip</c>, <c>overlap: skip</c> or a pause (API.md "Schedules").</summary>
    [Id(10)] public int SkippedFires { get; init; }
}

[GenerateSerializer, Alias("Eventd.EventStatus")]
public enum EventStatus
{
    Scheduled = 0,
    Delivering = 1,
    Delivered = 2,
    Failed = 3,
    Cancelled = 4,
    Paused = 5,
}
