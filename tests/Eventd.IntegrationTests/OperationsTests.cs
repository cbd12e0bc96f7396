using System.Net;
using System.Text.Json;
using Eventd.TestSupport;

namespace Eventd.IntegrationTests;

/// <summary>The operations routes of API.md: health, the OpenAPI document and the Orleans dashboards.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class OperationsTests(SharedClusterFixture fixture)
{
    // The dashboard's counters are collected every few seconds.
    private static readonly TimeSpan DashboardDeadline = TimeSpan.FromSeconds(60);

    /// <summary>Every route of Gateway/Endpoints and Gateway/Hosting, with its methods.</summary>
    private static readonly Dictionary<string, string[]> ServedRoutes = new()
    {
        ["/eventd/v1/events"] = ["get", "post"],
        ["/eventd/v1/events/{id}"] = ["delete", "get", "patch"],
        ["/eventd/v1/events/{id}/deliveries"] = ["get"],
        ["/eventd/v1/event/{id}"] = ["patch"],
        ["/eventd/v1/update/{id}"] = ["patch", "post"],
        ["/eventd/v1/cancel/{id}"] = ["delete", "post"],
        ["/eventd/v1/channels/{channel}/stream"] = ["get"],
        ["/eventd/v1/deadletters"] = ["get"],
        ["/eventd/v1/events/{id}/redeliver"] = ["post"],
        ["/eventd/v1/signing-keys"] = ["get"],
        ["/v1/projects/{project}/signing-secret"] = ["get"],
        ["/v1/projects/{project}/signing-secret/rotate"] = ["post"],
        ["/emit"] = ["post"],
        ["/query"] = ["post"],
        ["/init"] = ["post"],
        ["/transact"] = ["post"],
        ["/update"] = ["post"],
        ["/get-full-event-name"] = ["post"],
        ["/healthz"] = ["get"],
        ["/readyz"] = ["get"],
        ["/metrics"] = ["get"],
        ["/dashboard"] = ["get"],
        ["/openapi/v1.json"] = ["get"],
        ["/v1/keys"] = ["get", "post"],
        ["/v1/keys/{name}"] = ["delete"],
    };

    private EventdCluster Eventd => fixture.Eventd;

    [Fact]
    public async Task OpenApi_document_lists_every_route_the_gateway_serves_with_its_methods()
    {
        using var response = await Eventd.Http.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var paths = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("paths");
        foreach (var (path, methods) in ServedRoutes)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is missing from the OpenAPI document");
            var listed = item.EnumerateObject().Select(p => p.Name).Where(IsHttpMethod).Order();
            Assert.Equal(methods, listed);
        }

        // The dashboard's own assets and data API are the package's internals, not Eventd's contract.
        Assert.DoesNotContain(paths.EnumerateObject(), p => p.Name.StartsWith("/dashboard/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenApi_document_says_how_a_key_is_sent_on_every_route_but_the_operations_ones()
    {
        using var response = await Eventd.Http.GetAsync("/openapi/v1.json");
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("X-Eventd-Secret", schemes.GetProperty("eventdSecret").GetProperty("name").GetString());
        Assert.Equal("X-Buildable-Secret", schemes.GetProperty("buildableSecret").GetProperty("name").GetString());
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        var paths = document.GetProperty("paths");
        foreach (var (path, method) in new[] { ("/emit", "post"), ("/eventd/v1/events/{id}", "get"), ("/webhook", "post"), ("/v1/keys", "post"), ("/v1/projects/{project}/signing-secret/rotate", "post") })
        {
            var security = paths.GetProperty(path).GetProperty(method).GetProperty("security");
            Assert.Equal(["eventdSecret", "buildableSecret", "bearer"], security.EnumerateArray().Select(r => r.EnumerateObject().Single().Name));
        }

        foreach (var path in new[] { "/healthz", "/readyz", "/console", "/eventd/v1/signing-keys" })
        {
            Assert.Equal(0, paths.GetProperty(path).GetProperty("get").GetProperty("security").GetArrayLength());
        }
    }

    [Fact]
    public async Task OpenApi_document_describes_the_operations_routes_by_their_content_types()
    {
        using var response = await Eventd.Http.GetAsync("/openapi/v1.json");
        var paths = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("paths");

        Assert.True(Responses(paths, "/healthz").GetProperty("200").GetProperty("content").TryGetProperty("text/plain", out _));
        Assert.True(Responses(paths, "/readyz").GetProperty("503").GetProperty("content").TryGetProperty("text/plain", out _));
        Assert.True(Responses(paths, "/metrics").GetProperty("200").GetProperty("content").TryGetProperty("text/plain", out _));
        Assert.True(Responses(paths, "/dashboard").GetProperty("200").GetProperty("content").TryGetProperty("text/html", out _));
        Assert.All(new[] { "/healthz", "/readyz", "/metrics", "/dashboard" }, path =>
            Assert.Equal("Operations", paths.GetProperty(path).GetProperty("get").GetProperty("tags")[0].GetString()));
    }

    [Fact]
    public async Task Health_and_readiness_answer_Healthy_in_plain_text_never_cached()
    {
        using var health = await Eventd.Http.GetAsync("/healthz");
        using var ready = await Eventd.Http.GetAsync("/readyz");

        foreach (var response in new[] { health, ready })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
            Assert.True(response.Headers.CacheControl?.NoStore);
        }
    }

    [Fact]
    public async Task Gateway_dashboard_redirects_to_its_page_and_shows_the_silo_and_the_event_grains()
    {
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Eventd.GatewayUrl };

        using var bare = await noRedirects.GetAsync("/dashboard");
        using var page = await noRedirects.GetAsync("/dashboard/");
        using var script = await noRedirects.GetAsync("/dashboard/index.min.js");

        Assert.Equal(HttpStatusCode.MovedPermanently, bare.StatusCode);
        Assert.Equal("/dashboard/", bare.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Orleans Dashboard</title>", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);

        // A far event is stored without an activation; reading it back activates its grain.
        for (var i = 0; i < 3; i++)
        {
            await Eventd.ReadEventAsync(await Eventd.CreateEventAsync(new { delay = 3600, channel = "dashboard" }));
        }

        var counters = await Poll.UntilAsync(
            () => DashboardCountersAsync(Eventd.Http),
            c => c.ActiveSilos > 0 && c.GrainTypes.Any(IsEventGrain),
            DashboardDeadline,
            "the gateway's dashboard to show an active silo and the event grains");
        Assert.Equal(Eventd.Silos.Count, counters.ActiveSilos);
    }

    [Fact]
    public async Task Each_silo_serves_its_own_dashboard_and_healthz_on_its_metrics_port()
    {
        var silo = Eventd.Silos[0];
        using var http = new HttpClient { BaseAddress = silo.MetricsUrl ?? throw new InvalidOperationException($"{silo.Name} has no metrics port") };

        using var page = await http.GetAsync("/dashboard/");
        using var health = await http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>Orleans Dashboard</title>", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        await Poll.UntilAsync(() => DashboardCountersAsync(http), c => c.ActiveSilos > 0, DashboardDeadline, "the silo's dashboard to show the silo");
    }

    private static JsonElement Responses(JsonElement paths, string path) =>
        paths.GetProperty(path).GetProperty("get").GetProperty("responses");

    private static bool IsHttpMethod(string name) =>
        name is "get" or "put" or "post" or "delete" or "options" or "head" or "patch" or "trace";

    private static bool IsEventGrain(string grainType) =>
        grainType.Contains("ScheduledEventGrain", StringComparison.OrdinalIgnoreCase)
        || grainType.Contains("scheduledevent", StringComparison.OrdinalIgnoreCase);

    /// <summary>What the dashboard's page polls: <c>GET {prefix}/DashboardCounters</c> (Orleans.Dashboard's data API).</summary>
    private static async Task<DashboardCounters> DashboardCountersAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/dashboard/DashboardCounters");
        response.EnsureSuccessStatusCode();
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var active = root.GetProperty("hosts").EnumerateArray().Count(h => h.GetProperty("status").GetString() == "Active");
        var grainTypes = root.GetProperty("simpleGrainStats").EnumerateArray().Select(g => g.GetProperty("grainType").GetString() ?? "").ToList();
        return new DashboardCounters(active, grainTypes);
    }

    private sealed record DashboardCounters(int ActiveSilos, IReadOnlyList<string> GrainTypes)
    {
        public override string ToString() => $"{ActiveSilos} active silo(s), grain types: {string.Join(", ", GrainTypes)}";
    }
}
