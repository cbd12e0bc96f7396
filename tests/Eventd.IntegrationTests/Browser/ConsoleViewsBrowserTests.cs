namespace Eventd.IntegrationTests.Browser;

/// <summary>Each view of the console (API.md "Operations"), loaded in headless Chromium against a running gateway.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class ConsoleViewsBrowserTests(SharedClusterFixture fixture, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    /// <summary>The fragment of each view and what it shows once its data came; an error notice ends the wait too.</summary>
    public static TheoryData<string, string, string> Views => new()
    {
        { "", "view-overview", "#overview-throughput svg.chart" },
        { "#overview", "view-overview", "#overview-recent-rows tr" },
        { "#events", "view-events", "#events-rows tr" },
        { "#deadletters", "view-deadletters", "#deadletters-rows tr" },
        { "#endpoints", "view-endpoints", "#endpoints-rows tr" },
        { "#fire", "view-fire", "#fire-form" },
        { "#webhooks", "view-webhooks", "#webhooks-rows tr" },
        { "#triggers", "view-triggers", "#triggers-rows tr" },
    };

    private EventdCluster Eventd => fixture.Eventd;

    [Theory]
    [MemberData(nameof(Views))]
    public async Task Each_view_renders_its_data_without_a_script_error(string fragment, string section, string loaded)
    {
        await using var tab = await ConsoleTab.OpenAsync(chromium.Browser, Eventd.GatewayUrl, fragment);

        await tab.ShownAsync($"#{section} {loaded}, #notice.error");

        await AssertOnlyShownAsync(tab, section);
        Assert.Empty(tab.Problems);
    }

    [Fact]
    public async Task An_event_view_renders_its_fields_without_a_script_error()
    {
        var id = await Eventd.CreateEventAsync(new { delay = 3600, channel = "console-browser" });

        await using var tab = await ConsoleTab.OpenAsync(chromium.Browser, Eventd.GatewayUrl, $"#event/{id}");

        await tab.ShownAsync("#event-fields dt, #notice.error");
        await AssertOnlyShownAsync(tab, "view-event");
        Assert.Equal(id, await tab.EvaluateAsync<string>("() => document.getElementById('event-id').textContent"));
        Assert.Empty(tab.Problems);
    }

    [Fact]
    public async Task The_nav_reaches_every_view_from_the_overview_without_a_reload()
    {
        await using var tab = await ConsoleTab.OpenAsync(chromium.Browser, Eventd.GatewayUrl);
        await tab.ShownAsync("#view-overview #overview-throughput svg");
        await tab.EvaluateAsync<bool>("() => window.notReloaded = true");

        foreach (var (_, section, loaded) in Views.Select(row => ((string)row[0], (string)row[1], (string)row[2])))
        {
            await tab.Page.ClickAsync($"nav a[data-view=\"{section["view-".Length..]}\"]");
            await tab.ShownAsync($"#{section} {loaded}, #notice.error");
            await AssertOnlyShownAsync(tab, section);
        }

        Assert.True(await tab.EvaluateAsync<bool>("() => window.notReloaded === true"), "a nav link reloaded the page");
        Assert.Empty(tab.Problems);
    }

    private static async Task AssertOnlyShownAsync(ConsoleTab tab, string section)
    {
        var shown = await tab.EvaluateAsync<string[]>("() => [...document.querySelectorAll('.view')].filter(v => !v.hidden).map(v => v.id)");
        Assert.Equal([section], shown);
        var error = await tab.EvaluateAsync<string?>("() => { const n = document.getElementById('notice'); return !n.hidden && n.classList.contains('error') ? n.textContent : null; }");
        Assert.Null(error);
    }
}
