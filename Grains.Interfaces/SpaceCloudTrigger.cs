namespace Eventd.Grains.Interfaces;

/// <summary>
/// A Space Cloud eventing trigger (API.md section 3), in that API's own words: the project's events of
/// <see cref="Type"/> go to <see cref="Url"/> with its own <see cref="Retries"/> and per-attempt
/// <see cref="Timeout"/> in milliseconds. <see cref="Id"/> is its name, unique within its project.
/// </summary>
[GenerateSerializer, Immutable, Alias("Eventd.SpaceCloudTrigger")]
public sealed record SpaceCloudTrigger(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] string Url,
    [property: Id(3)] int Retries,
    [property: Id(4)] int Timeout,
    [property: Id(5)] FlowControl? FlowControl = null);
