namespace Eventd.Grains.Interfaces;

/// <summary>A flow-control key as it stands: its limits and the attempts waiting for, and holding, them.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.FlowControlView")]
public sealed record FlowControlView
{
    [Id(0)] public required FlowControl Limits { get; init; }
    [Id(1)] public int Waiting { get; init; }
    [Id(2)] public int InFlight { get; init; }
}
