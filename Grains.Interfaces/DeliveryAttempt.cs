namespace Eventd.Grains.Interfaces;

/// <summary>One HTTP attempt of one fire: a first-class record users can list.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.DeliveryAttempt")]
public sealed record DeliveryAttempt
{
    [Id(0)] public int Seq { get; init; }
    [Id(1)] public int Attempt { get; init; }
    [Id(2)] public DateTimeOffset At { get; init; }
    [Id(3)] public int? StatusCode { get; init; }
    [Id(4)] public long DurationMs { get; init; }
    [Id(5)] public string? Error { get; init; }

    public bool Succeeded => StatusCode is >= 200 and < 300;
}
