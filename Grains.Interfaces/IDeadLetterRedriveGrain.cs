namespace Eventd.Grains.Interfaces;

/// <summary>Which dead letters a bulk redrive sends again: url prefix, failure time range, at most <see cref="Limit"/>.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.DeadLetterSelection")]
public sealed record DeadLetterSelection(
    [property: Id(0)] string? UrlPrefix,
    [property: Id(1)] DateTimeOffset? Since,
    [property: Id(2)] DateTimeOffset? Until,
    [property: Id(3)] int Limit);

/// <summary>Bulk redrive of dead letters (API.md "Bulk redrive").</summary>
[Alias("Eventd.IDeadLetterRedriveGrain")]
public interface IDeadLetterRedriveGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Redelivers every dead letter of <paramref name="project"/> (or every project's,
    /// <see cref="ProjectNames.Every"/>) the selection keeps, as <see cref="IScheduledEventGrain.Redeliver"/>
    /// does; returns how many redeliveries started.
    /// </summary>
    [Alias("Redeliver")]
    Task<int> Redeliver(string project, DeadLetterSelection selection);
}
