using Eventd.Grains.Interfaces;

namespace Eventd.Gateway.Endpoints;

/// <summary>The list query: <c>?status=&amp;q=&amp;page=1&amp;pageSize=20</c>, checked like a body.</summary>
public sealed record EventListQuery(EventStatus? Status, string? Q, int Page, int PageSize)
{
    public static (EventListQuery? Query, string? Error) Parse(IQueryCollection query)
    {
        if (query["status"].Count > 1 || query["q"].Count > 1)
        {
            return (null, $"{(query["status"].Count > 1 ? "status" : "q")}: give it once");
        }

        EventStatus? status = null;
        if (query["status"].ToString() is { Length: > 0 } statusText)
        {
            // By name only: Enum.TryParse would also take "1" or "scheduled,delivered" (the two OR-ed together).
            if (Enum.GetNames<EventStatus>().FirstOrDefault(n => n.Equals(statusText, StringComparison.OrdinalIgnoreCase)) is not { } name)
            {
                return (null, "status: must be one of scheduled, paused, delivering, delivered, failed, cancelled");
            }

            status = Enum.Parse<EventStatus>(name);
        }

        var (paging, pageError) = PageQuery.Parse(query);
        if (paging is null)
        {
            return (null, pageError);
        }

        var q = query["q"].ToString();
        return (new EventListQuery(status, q.Length > 0 ? q : null, paging.Page, paging.PageSize), null);
    }

    public bool Filters => Status is not null || Q is not null;

    /// <summary>The page of <paramref name="project"/>'s list this query asks for.</summary>
    public EventListRequest For(string project) => new(project, Status, Q, Page, PageSize);
}

public sealed record EventListEnvelope(bool Ok, IReadOnlyList<EventJson> Items, long Total, int Page, int PageSize, int TotalPages);

/// <summary>The event list as the gateway answers it: a page read by <see cref="IEventListGrain"/>.</summary>
public static class EventList
{
    public static async Task<EventListEnvelope> ReadAsync(IGrainFactory grains, string project, EventListQuery query)
    {
        var page = await grains.GetGrain<IEventListGrain>(0).Page(query.For(project));
        return new EventListEnvelope(
            true,
            [.. page.Items.Select(EventJson.From)],
            page.Total,
            query.Page,
            query.PageSize,
            new PageQuery(query.Page, query.PageSize).TotalPages(page.Total));
    }
}
