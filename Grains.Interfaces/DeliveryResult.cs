namespace Eventd.Grains.Interfaces;

/// <summary>How one fire's delivery to one target ended.</summary>
[GenerateSerializer, Alias("Eventd.DeliveryResult")]
public sealed record DeliveryResult
{
    [Id(0)] public required bool Succeeded { get; init; }
    [Id(1)] public int Attempts { get; init; }
    [Id(2)] public int? StatusCode { get; init; }
    [Id(3)] public string? Error { get; init; }
    [Id(4)] public DateTimeOffset At { get; init; }
    [Id(5)] public int Seq { get; init; }
}
