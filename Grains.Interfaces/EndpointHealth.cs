namespace Eventd.Grains.Interfaces;

/// <summary>
/// One endpoint's health as its grain holds it: listed at <c>GET /eventd/v1/endpoints</c>, and read by
/// each silo's gate to refuse fires to a disabled endpoint. <see cref="Known"/> is false for an origin
/// no attempt was ever reported for.
/// </summary>
[GenerateSerializer, Immutable, Alias("Eventd.EndpointView")]
public sealed record EndpointView
{
    [Id(0)] public required string Origin { get; init; }
    [Id(1)] public bool Known { get; init; }
    [Id(2)] public bool Disabled { get; init; }
    [Id(3)] public string? Reason { get; init; }
    [Id(4)] public DateTimeOffset? DisabledAt { get; init; }

    /// <summary>The first failed attempt since the last success; null while the endpoint succeeds.</summary>
    [Id(5)] public DateTimeOffset? FailingSince { get; init; }
    [Id(6)] public DateTimeOffset? LastSuccessAt { get; init; }

    /// <summary>Failed attempts since <see cref="FailingSince"/>.</summary>
    [Id(7)] public int Failures { get; init; }

    public bool Failing => FailingSince is not null;
}

/// <summary>
/// Failed attempts a silo reports in one call: how many, the first and last of them, and whether one
/// was answered <c>410 Gone</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Eventd.EndpointFailures")]
public sealed record EndpointFailures(
    [property: Id(0)] int Count,
    [property: Id(1)] DateTimeOffset FirstAt,
    [property: Id(2)] DateTimeOffset LastAt,
    [property: Id(3)] bool Gone);
