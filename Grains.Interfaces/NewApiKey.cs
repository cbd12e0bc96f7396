namespace Eventd.Grains.Interfaces;

/// <summary>
/// A key to create: its name, project and environment, and the SHA-256 of its secret (hex). The secret
/// itself stays in the gateway that made it, which shows it once.
/// </summary>
[GenerateSerializer, Immutable, Alias("Eventd.NewApiKey")]
public sealed record NewApiKey(
    [property: Id(0)] string Name,
    [property: Id(1)] string Project,
    [property: Id(2)] string Environment,
    [property: Id(3)] string SecretHash);
