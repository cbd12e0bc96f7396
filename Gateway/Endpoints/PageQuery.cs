namespace Eventd.Gateway.Endpoints;

/// <summary>A list's <c>?page=1&amp;pageSize=20</c>, checked like a body: <c>page</c> from 1, <c>pageSize</c> 1 to 100.</summary>
public sealed record PageQuery(int Page, int PageSize)
{
    public const int MaxPageSize = 100;

    public static (PageQuery? Query, string? Error) Parse(IQueryCollection query)
    {
        var page = 1;
        if (query["page"].ToString() is { Length: > 0 } pageText && (!int.TryParse(pageText, out page) || page < 1))
        {
            return (null, "page: must be an integer >= 1");
        }

        var pageSize = 20;
        if (query["pageSize"].ToString() is { Length: > 0 } sizeText && (!int.TryParse(sizeText, out pageSize) || pageSize < 1 || pageSize > MaxPageSize))
        {
            return (null, $"pageSize: must be an integer from 1 to {MaxPageSize}");
        }

        return (new PageQuery(page, pageSize), null);
    }

    public int TotalPages(long total) => (int)((total + PageSize - 1) / PageSize);
}
