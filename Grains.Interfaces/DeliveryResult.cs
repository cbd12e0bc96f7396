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

    /// <summary>Never sent: its event was cancelled before the first attempt (see <see cref="IWebhookDeliveryGrain.Withdraw"/>); not a dead letter.</summary>
    [Id(6)] public bool Withdrawn { get; init; }

    /// <summary>The result of fire <paramref name="seq"/> withdrawn at <paramref name="at"/> before its first attempt.</summary>
    public static DeliveryResult WithdrawnAt(int seq, DateTimeOffset at) => new()
    {
        Succeeded = false,
        Withdrawn = true,
        Error = "not sent: the event was cancelled before the first attempt",
        At = at,
        Seq = seq,
    };

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
