using System.Net;
using System.Text.Json;

namespace Eventd.IntegrationTests;

/// <summary><c>GET /eventd/v1/overview</c>: a project's events by status, dead letters and newest events, for its key only.</summary>
[Collection(KeyedClusterCollection.Name)]
public sealed class OverviewTests(KeyedClusterFixture fixture)
{
    private EventdCluster Eventd => fixture.Eventd;

    private KeyedCalls Calls => new(Eventd);

    [Fact]
    public async Task A_project_key_sees_its_own_projects_counts_and_newest_events_only()
    {
        var project = KeyedCalls.Unique("ov");
        var key = await Eventd.CreateKeyAsync(KeyedCalls.Unique("ov-key"), project);
        var scheduled = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            scheduled.Add(await CreateAsync(key, new { delay = 3600, channel = "overview" }));
        }

        var paused = await CreateAsync(key, new { delay = 3600, channel = "overview" });
        using (var pause = await Calls.SendAsync(HttpMethod.Post, $"/eventd/v1/events/{paused}/pause", key: key))
        {
            Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        }

        var otherProjects = await CreateAsync(KeyedCalls.Admin, new { delay = 3600, channel = "overview-admin" });

        var overview = await Calls.OkJsonAsync(HttpMethod.Get, "/eventd/v1/overview", key: key);

        Assert.True(overview.GetProperty("ok").GetBoolean());
        Assert.Equal(project, overview.GetProperty("project").GetString());
        var statuses = overview.GetProperty("statuses");
        Assert.Equal(3, statuses.GetProperty("scheduled").GetInt64());
        Assert.Equal(1, statuses.GetProperty("paused").GetInt64());
        Assert.Equal(0, statuses.GetProperty("delivering").GetInt64());
        Assert.Equal(0, statuses.GetProperty("failed").GetInt64());
        Assert.Equal(0, overview.GetProperty("deadLetters").GetInt64());
        Assert.Equal([paused, .. Enumerable.Reverse(scheduled)], Ids(overview.GetProperty("recent")));
        Assert.DoesNotContain(otherProjects, Ids(overview.GetProperty("recent")));
        Assert.Equal(JsonValueKind.Array, overview.GetProperty("series").ValueKind);
    }

    [Fact]
    public async Task The_admin_key_sees_every_project_and_a_project_key_no_other_project()
    {
        var project = KeyedCalls.Unique("ov");
        var key = await Eventd.CreateKeyAsync(KeyedCalls.Unique("ov-key"), project);
        var id = await CreateAsync(key, new { delay = 3600, channel = "overview" });

        var every = await Calls.OkJsonAsync(HttpMethod.Get, "/eventd/v1/overview");
        using var other = await Calls.SendAsync(HttpMethod.Get, "/eventd/v1/overview?project=default", key: key);
        using var keyless = await Calls.SendAsync(HttpMethod.Get, "/eventd/v1/overview", key: null);

        Assert.Equal("*", every.GetProperty("project").GetString());
        Assert.Contains(id, Ids(every.GetProperty("recent")));
        Assert.True(every.GetProperty("statuses").GetProperty("scheduled").GetInt64() >= 1);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, keyless.StatusCode);
    }

    private async Task<string> CreateAsync(string key, object body)
    {
        using var response = await Calls.SendAsync(HttpMethod.Post, "/eventd/v1/events", body, key);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await KeyedCalls.JsonAsync(response)).GetProperty("id").GetString()!;
    }

    private static List<string> Ids(JsonElement events) => [.. events.EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];
}
