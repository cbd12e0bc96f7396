namespace Eventd.Grains.Interfaces;

/// <summary>
/// One fire whose attempts were exhausted, as listed at <c>GET /eventd/v1/deadletters</c>. Stored
/// as camelCase JSON in Redis by the delivery grain that gave up, listed by <c>IDeadLetterListGrain</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Eventd.DeadLetter")]
public sealed record DeadLetter(
    [property: Id(0)] string Id,
    [property: Id(1)] int Seq,
    [property: Id(2)] string Url,
    [property: Id(3)] int Attempts,
    [property: Id(4)] string? LastError,
    [property: Id(5)] DateTimeOffset FailedAt);
