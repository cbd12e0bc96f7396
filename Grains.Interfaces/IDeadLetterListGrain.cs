namespace Eventd.Grains.Interfaces;

/// <summary>Pages through a project's dead letters (or every project's, <see cref="ProjectNames.Every"/>), newest first.</summary>
[Alias("Eventd.IDeadLetterListGrain")]
public interface IDeadLetterListGrain : IGrainWithIntegerKey
{
    [Alias("Page")]
    Task<DeadLetterPage> Page(string project, int page, int pageSize);

    /// <summary>How many dead letters the project's list holds: its total, without reading a page.</summary>
    [Alias("Count")]
    Task<long> Count(string project);
}

/// <summary>The dead letters of a page, and how many the whole list holds.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.DeadLetterPage")]
public sealed record DeadLetterPage([property: Id(0)] IReadOnlyList<DeadLetter> Items, [property: Id(1)] long Total);
