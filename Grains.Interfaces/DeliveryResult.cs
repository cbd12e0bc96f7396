namespace Eventd.Grains.Interfaces;

/// <summary>How one fire's delivery to one target ended.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.DeliveryResult")]
public sealed record DeliveryResult
{
    [Id(0)] public required bool Succeeded { get; init; }
    [Id(1)] public int Attempts { get; init; }
    [Id(2)] public int? StatusCode { get; init; }
    [Id(3)] public string? Error { get; init; }
    [Id(4)] public DateTimeOffset At { get; init; }
    [Id(5)] public int Seq { get; init; }

    /// <summary>The result of a delivery that <paramref name="last"/> ended, after <paramref name="attempts"/> attempts in its budget.</summary>
    public static DeliveryResult After(DeliveryAttempt last, int attempts) => new()
    {
        Succeeded = last.Succeeded,
        Attempts = attempts,
        StatusCode = last.StatusCode,
        Error = last.Error,
        At = last.At,
        Seq = last.Seq,
    };
}
