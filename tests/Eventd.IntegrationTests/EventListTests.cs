using System.Net;
using System.Text.Json;

namespace Eventd.IntegrationTests;

/// <summary><c>GET /eventd/v1/events</c>: newest first, paged, filtered by status and text.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class EventListTests(SharedClusterFixture fixture)
{
    private EventdCluster Eventd => fixture.Eventd;

    [Fact]
    public async Task Text_and_status_filters_page_through_matching_events_newest_first()
    {
        var tag = Guid.NewGuid().ToString("N");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await Eventd.CreateEventAsync(new { delay = 3600, channel = $"list-{tag}-{i}" }));
        }

        using (await Eventd.Http.DeleteAsync($"/eventd/v1/events/{ids[1]}"))
        using (await Eventd.Http.DeleteAsync($"/eventd/v1/events/{ids[3]}"))
        {
        }

        var all = await ListAsync($"?q={tag}&pageSize=2&page=1");
        var second = await ListAsync($"?q={tag}&pageSize=2&page=2");
        var last = await ListAsync($"?q={tag}&pageSize=2&page=3");
        var cancelled = await ListAsync($"?q={tag}&status=cancelled");

        Assert.True(all.GetProperty("ok").GetBoolean());
        Assert.Equal(5, all.GetProperty("total").GetInt32());
        Assert.Equal(3, all.GetProperty("totalPages").GetInt32());
        Assert.Equal(2, all.GetProperty("pageSize").GetInt32());
        var pagedIds = Ids(all).Concat(Ids(second)).Concat(Ids(last)).ToList();
        Assert.Equal(Enumerable.Reverse(ids), pagedIds);
        Assert.Equal([ids[3], ids[1]], Ids(cancelled));
        Assert.All(cancelled.GetProperty("items").EnumerateArray(), e => Assert.Equal("cancelled", e.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Unfiltered_list_is_newest_first_with_the_event_fields()
    {
        await Eventd.CreateEventAsync(new { delay = 3600, channel = "newest-first" });

        var page = await ListAsync("?pageSize=3");

        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.InRange(items.Count, 1, 3);
        Assert.True(page.GetProperty("total").GetInt32() >= items.Count);
        var created = items.Select(e => e.GetProperty("createdAt").GetDateTimeOffset()).ToList();
        Assert.Equal(created.OrderDescending(), created);
        Assert.All(items, e => Assert.Matches("^[0-9a-f]{32}$", e.GetProperty("id").GetString()));
        Assert.Equal("newest-first", items[0].GetProperty("channel").GetString());
    }

    [Theory]
    [InlineData("?pageSize=101", "pageSize:")]
    [InlineData("?pageSize=0", "pageSize:")]
    [InlineData("?page=0", "page:")]
    [InlineData("?page=x", "page:")]
    [InlineData("?status=done", "status:")]
    [InlineData("?status=1", "status:")]
    [InlineData("?status=scheduled,delivered", "status:")]
    [InlineData("?status=scheduled&status=delivered", "status:")]
    [InlineData("?q=a&q=b", "q:")]
    public async Task Bad_query_is_400_naming_the_parameter(string query, string field)
    {
        using var response = await Eventd.Http.GetAsync($"/eventd/v1/events{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith(field, body.GetProperty("error").GetString());
    }

    private async Task<JsonElement> ListAsync(string query)
    {
        using var response = await Eventd.Http.GetAsync($"/eventd/v1/events{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static IEnumerable<string> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()!);
}
