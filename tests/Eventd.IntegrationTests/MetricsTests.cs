using System.Globalization;
using System.Text.RegularExpressions;
using Eventd.TestSupport;
using Xunit.Abstractions;

namespace Eventd.IntegrationTests;

[Collection(SharedClusterCollection.Name)]
public sealed class MetricsTests(SharedClusterFixture fixture, ITestOutputHelper output)
{
    /// <summary>A silo publishes every 5 s and the gateway reads every 5 s: well inside this.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private EventdCluster Eventd => fixture.Eventd;

    [Fact]
    public async Task Gateway_metrics_add_up_the_fires_and_attempts_the_silos_made()
    {
        var before = await ScrapeAsync(new Uri(Eventd.GatewayUrl, "/metrics"));
        var delivered = $"/metrics-ok/{Guid.NewGuid():N}";
        var failing = $"/metrics-fail/{Guid.NewGuid():N}";
        Eventd.Receiver.Respond = (_, r) => r.Path == failing ? (500, null) : (200, null);
        try
        {
            await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url(delivered) });
            await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url(failing), retries = 0 });

            var after = await Poll.UntilAsync(
                () => ScrapeAsync(new Uri(Eventd.GatewayUrl, "/metrics")),
                now => now.Sum("eventd_cluster_fires_total") >= before.Sum("eventd_cluster_fires_total") + 2
                    && now.Sum("eventd_cluster_delivery_attempts_total", ("outcome", "success")) >= before.Sum("eventd_cluster_delivery_attempts_total", ("outcome", "success")) + 1
                    && now.Sum("eventd_cluster_delivery_attempts_total", ("outcome", "failure")) >= before.Sum("eventd_cluster_delivery_attempts_total", ("outcome", "failure")) + 1
                    && now.Sum("eventd_cluster_silos") >= 1,
                Deadline,
                "the gateway's /metrics to count both fires and their attempts");

            output.WriteLine(string.Join('\n', after.Text.Split('\n').Where(line => line.StartsWith("eventd_cluster_", StringComparison.Ordinal))));
            Assert.Single(Eventd.Receiver.ReceivedOn(delivered));
            Assert.Single(Eventd.Receiver.ReceivedOn(failing));
            Assert.True(after.Sum("eventd_cluster_events_created_total") >= before.Sum("eventd_cluster_events_created_total") + 2, after.Text);
            var attempts = after.Sum("eventd_cluster_delivery_attempts_total");
            Assert.Equal(attempts, after.Sum("eventd_cluster_delivery_duration_count_total"));
            Assert.Equal(attempts, after.Sum("eventd_cluster_delivery_duration_bucket_total", ("le", "+Inf")));
            Assert.Equal(after.Sum("eventd_cluster_fires_total"), after.Sum("eventd_cluster_fire_lateness_count_total"));
            Assert.True(after.Sum("eventd_cluster_delivery_duration_bucket_total", ("le", "5")) <= attempts);
            Assert.True(after.Text.Contains("eventd_cluster_delivery_retries_pending", StringComparison.Ordinal), after.Text);
        }
        finally
        {
            Eventd.Receiver.Respond = null;
        }

        var silo = await ScrapeAsync(new Uri(Eventd.Silos[0].MetricsUrl!, "/metrics"));
        output.WriteLine(string.Join('\n', silo.Text.Split('\n').Where(line => line.StartsWith("eventd_", StringComparison.Ordinal) && !line.Contains("_bucket{", StringComparison.Ordinal))));
        Assert.True(silo.Sum("eventd_fires_total") >= 2, silo.Text);
    }

    private async Task<PrometheusText> ScrapeAsync(Uri url) => new(await Eventd.Http.GetStringAsync(url));
}

/// <summary>A Prometheus text exposition, read just enough to add up the samples of one metric.</summary>
internal sealed partial record PrometheusText(string Text)
{
    /// <summary>The sum of every sample of <paramref name="name"/>, or of those carrying <paramref name="label"/>; 0 when there are none.</summary>
    public double Sum(string name, (string Key, string Value)? label = null) =>
        Text.Split('\n')
            .Select(line => Sample().Match(line))
            .Where(m => m.Success && m.Groups["name"].Value == name)
            .Where(m => label is not { } wanted || Label().Matches(m.Groups["labels"].Value)
                .Any(l => l.Groups["key"].Value == wanted.Key && l.Groups["value"].Value == wanted.Value))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})?\s+(?<value>\S+)""")]
    private static partial Regex Sample();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>[^""]*)""")]
    private static partial Regex Label();
}
