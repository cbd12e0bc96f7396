namespace Eventd.Grains.Interfaces;

/// <summary>Pages through a project's events (or every project's, <see cref="ProjectNames.Every"/>), newest first.</summary>
[Alias("Eventd.IEventListGrain")]
public interface IEventListGrain : IGrainWithIntegerKey
{
    [Alias("Page")]
    Task<EventPage> Page(EventListRequest request);

    /// <summary>How many of the project's events the status index holds in <paramref name="status"/>: the total its list shows, without reading a page.</summary>
    [Alias("Count")]
    Task<long> Count(string project, EventStatus status);
}

/// <summary>One page of the event list: a project, an optional status and text filter, 1-based page.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.EventListRequest")]
public sealed record EventListRequest(
    [property: Id(0)] string Project,
    [property: Id(1)] EventStatus? Status,
    [property: Id(2)] string? Q,
    [property: Id(3)] int Page,
    [property: Id(4)] int PageSize);

/// <summary>The events of a page, and how many the whole list holds.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.EventPage")]
public sealed record EventPage([property: Id(0)] IReadOnlyList<EventView> Items, [property: Id(1)] long Total);
