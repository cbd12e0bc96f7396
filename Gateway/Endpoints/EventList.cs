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
                return (null, "status: must be one of scheduled, delivering, delivered, failed, cancelled");
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

    public bool Matches(EventView view) =>
        (Status is null || view.Status == Status)
        && (Q is null || Contains(view.Spec.Webhook?.Url) || Contains(view.Spec.Channel) || Contains(view.Spec.Type));

    private bool Contains(string? field) => field?.Contains(Q!, StringComparison.OrdinalIgnoreCase) == true;
}

public sealed record EventListEnvelope(bool Ok, IReadOnlyList<EventJson> Items, long Total, int Page, int PageSize, int TotalPages);

/// <summary>
/// Pages through a project's events newest first, from the creation index in Redis (every project's:
/// its shards merged). Unfiltered, a page of a project costs one range read and one grain call per item. A status or text filter reads the
/// events themselves, newest first, up to <see cref="MaxScanned"/> of them.
/// </summary>
public static class EventList
{
    public const int MaxScanned = 10_000;
    private const int Batch = 200;

    public static async Task<EventListEnvelope> ReadAsync(NewestFirstIndex index, IGrainFactory grains, EventListQuery query)
    {
        if (!query.Filters)
        {
            var total = await index.CountAsync();
            var members = await index.RangeAsync((long)(query.Page - 1) * query.PageSize, query.PageSize);
            var views = await ViewsAsync(grains, members);
            return Envelope(query, views, total);
        }

        var matches = new List<EventView>();
        var batch = new List<IndexedMember>(Batch);
        var scanned = 0;
        await foreach (var member in index.MembersAsync())
        {
            batch.Add(member);
            if (batch.Count == Batch)
            {
                matches.AddRange((await ViewsAsync(grains, batch)).Where(query.Matches));
                batch.Clear();
            }

            if (++scanned == MaxScanned)
            {
                break;
            }
        }

        matches.AddRange((await ViewsAsync(grains, batch)).Where(query.Matches));
        var page = matches.Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToList();
        return Envelope(query, page, matches.Count);
    }

    private static async Task<List<EventView>> ViewsAsync(IGrainFactory grains, IEnumerable<IndexedMember> ids)
    {
        var views = await Task.WhenAll(ids.Select(id => grains.GetGrain<IScheduledEventGrain>(id.Member.ToString()).Get()));
        return views.OfType<EventView>().ToList();
    }

    private static EventListEnvelope Envelope(EventListQuery query, IReadOnlyList<EventView> items, long total) => new(
        true,
        items.Select(EventJson.From).ToList(),
        total,
        query.Page,
        query.PageSize,
        new PageQuery(query.Page, query.PageSize).TotalPages(total));
}
