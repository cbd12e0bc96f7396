using Eventd.TestSupport;

namespace Eventd.IntegrationTests.Browser;

/// <summary>The console's Overview in headless Chromium: its charts follow the cluster live, polling without a reload.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class OverviewBrowserTests(SharedClusterFixture fixture, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const int Burst = 50;
    private const int FailedFirst = 10;

    /// <summary>Where the test leaves the Overview as it looked after the burst, for a person to look at.</summary>
    public static string ScreenshotPath => Path.Combine(Path.GetTempPath(), "overview.png");

    // Silos report every 5 s, the gateway samples every 2 s and the page polls every 2 s: well within this.
    private static readonly TimeSpan ChartDeadline = TimeSpan.FromSeconds(60);

    // The delivered line's latest value; -1 before the gateway has a point to chart.
    private const string LatestDelivered = """
        () => {
          const rate = parseFloat(document.querySelector('#overview-throughput li[data-series=delivered] [data-value=last]')?.textContent);
          return Number.isNaN(rate) ? -1 : rate;
        }
        """;

    private const string DeliveredPath = """
        () => document.querySelector('#overview-throughput path[data-series=delivered]').getAttribute('d')
        """;

    // Whether a series' line rises above the chart's zero line (the first grid line drawn) anywhere.
    private const string Rises = """
        (chart, series) => {
          const d = document.querySelector(`#${chart} path[data-series=${series}]`).getAttribute('d');
          const zero = Number(document.querySelector(`#${chart} line.grid`).getAttribute('y1'));
          return [...d.matchAll(/[ML][\d.]+,([\d.]+)/g)].some(m => Number(m[1]) < zero);
        }
        """;

    private EventdCluster Eventd => fixture.Eventd;

    [Fact]
    public async Task The_overview_charts_rise_after_a_burst_of_fires_without_a_reload()
    {
        await using var receiver = new Receiver { Respond = (n, _) => (n <= FailedFirst ? 500 : 200, null) };
        await receiver.StartAsync();
        await using var tab = await ConsoleTab.OpenAsync(chromium.Browser, Eventd.GatewayUrl);
        await tab.ShownAsync("#view-overview #overview-throughput svg.chart");
        await tab.EvaluateAsync<bool>("() => window.notReloaded = true");

        // The burst starts on a quiet chart that is already drawing: a freshly started gateway charts nothing
        // for its first seconds (so deliveries then would be missed), and other tests of the shared cluster may just have delivered.
        var quiet = await Poll.UntilAsync(() => tab.EvaluateAsync<double>(LatestDelivered), rate => rate is >= 0 and < 1.2, ChartDeadline, "a quiet delivered-per-second line");
        var quietPath = await tab.EvaluateAsync<string>(DeliveredPath);

        var url = receiver.Url("/burst");
        await Task.WhenAll(Enumerable.Range(0, Burst).Select(_ => Eventd.CreateEventAsync(new { url, delay = 0 })));
        await Poll.UntilAsync(() => receiver.ReceivedOn("/burst").Count >= Burst + FailedFirst, TimeSpan.FromSeconds(30), "every fire of the burst delivered");

        // 50 deliveries within one 10 s window chart as at least 50 / 12 a second: its samples are up to 12 s apart.
        var peak = await Poll.UntilAsync(() => tab.EvaluateAsync<double>(LatestDelivered), rate => rate >= quiet + 2.5, ChartDeadline, "the burst on the delivered-per-second line");

        Assert.True(peak <= quiet + Burst, $"the line shows {peak} deliveries a second, more than the burst's {Burst} in all");
        Assert.NotEqual(quietPath, await tab.EvaluateAsync<string>(DeliveredPath));
        Assert.True(await tab.EvaluateAsync<bool>(Rises, "overview-throughput", "delivered"), "the delivered line stays on zero");
        Assert.True(await tab.EvaluateAsync<bool>(Rises, "overview-throughput", "failed"), "the failed line stays on zero after 10 failed attempts");
        Assert.True(await tab.EvaluateAsync<bool>(Rises, "overview-lateness", "p99"), "the lateness p99 line shows no fire");
        Assert.Contains(url, await tab.EvaluateAsync<string>("() => document.getElementById('overview-recent-rows').textContent"), StringComparison.Ordinal);
        Assert.True(await tab.EvaluateAsync<bool>("() => window.notReloaded === true"), "the overview reloaded the page to update");

        await tab.Page.ScreenshotAsync(ScreenshotPath, new PuppeteerSharp.ScreenshotOptions { FullPage = true });
        Assert.Empty(tab.Problems);
    }
}
