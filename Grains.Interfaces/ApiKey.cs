namespace Eventd.Grains.Interfaces;

/// <summary>A project key as the grains hold it and a gateway sees it: never the secret, nor its hash.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.ApiKey")]
public sealed record ApiKey(
    [property: Id(0)] string Name,
    [property: Id(1)] string Project,
    [property: Id(2)] string Environment,
    [property: Id(3)] DateTimeOffset CreatedAt);
