using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Eventd.TestSupport;

namespace Eventd.IntegrationTests;

/// <summary>The operator console at <c>/console</c> (API.md "Operations"): its page, its assets and the routes its script calls.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed partial class ConsoleTests(SharedClusterFixture fixture)
{
    private static readonly Dictionary<string, string> ContentTypeByExtension = new()
    {
        [".js"] = "text/javascript",
        [".css"] = "text/css",
        [".svg"] = "image/svg+xml",
    };

    private EventdCluster Eventd => fixture.Eventd;

    [GeneratedRegex(@"(?:src|href)=""([^""#]+)""")]
    private static partial Regex AssetReference();

    // Any string literal that is an absolute path, so a call to a route of another API is caught too.
    [GeneratedRegex("""["'`](/[A-Za-z][^"'`?\s]*)["'`]""")]
    private static partial Regex ApiPathLiteral();

    [GeneratedRegex("""\{[^/}]+\}""")]
    private static partial Regex PathParameter();

    [Fact]
    public async Task The_console_page_is_html_never_cached_and_opens_on_the_overview()
    {
        using var response = await Eventd.Http.GetAsync("/console");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.True(response.Headers.CacheControl?.NoCache);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>Eventd console</title>", page, StringComparison.Ordinal);
        Assert.Contains("""<section id="view-overview" class="view">""", page, StringComparison.Ordinal);
        Assert.Contains("""<section id="view-events" class="view" hidden>""", page, StringComparison.Ordinal);
        Assert.Contains("""<section id="view-triggers" class="view" hidden>""", page, StringComparison.Ordinal);
        Assert.DoesNotContain("not served by this gateway yet", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_asset_the_page_references_is_served_from_the_console_with_its_content_type()
    {
        var references = AssetReferences(await GetTextAsync("/console"));

        Assert.NotEmpty(references);
        foreach (var reference in references)
        {
            Assert.StartsWith("/console/", reference, StringComparison.Ordinal);
            using var response = await Eventd.Http.GetAsync(reference);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(ContentTypeByExtension[Path.GetExtension(reference)], response.Content.Headers.ContentType?.MediaType);
            Assert.True(response.Headers.CacheControl?.NoCache, $"{reference} must not be cached");
        }
    }

    [Fact]
    public async Task An_unknown_console_asset_is_404()
    {
        using var response = await Eventd.Http.GetAsync("/console/nothing-here.js");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Every_api_path_the_console_script_calls_is_a_route_the_gateway_serves()
    {
        var script = string.Concat(await Task.WhenAll(AssetReferences(await GetTextAsync("/console"))
            .Where(reference => reference.EndsWith(".js", StringComparison.Ordinal))
            .Select(GetTextAsync)));
        var served = (await OpenApiPathsAsync()).EnumerateObject().Select(p => p.Name).ToList();

        var called = ApiPathLiteral().Matches(script).Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.Contains("/eventd/v1/overview", called);
        Assert.Contains("/eventd/v1/events", called);
        Assert.Contains("/eventd/v1/deadletters", called);
        Assert.Contains("/webhook", called);
        Assert.Contains("/v1/config/projects/{project}/eventing/triggers/{name}", called);
        Assert.Contains("/v1/api/{project}/eventing/queue", called);
        Assert.All(called, path => Assert.True(served.Any(route => Matches(route, path)), $"the console calls {path}, which the gateway does not serve"));
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_console_page_with_the_operations_routes_and_not_its_assets()
    {
        var paths = await OpenApiPathsAsync();

        var get = paths.GetProperty("/console").GetProperty("get");
        Assert.Equal("Operations", get.GetProperty("tags")[0].GetString());
        Assert.True(get.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("text/html", out _));
        Assert.DoesNotContain(paths.EnumerateObject(), p => p.Name.StartsWith("/console/", StringComparison.Ordinal));
    }

    private async Task<string> GetTextAsync(string path)
    {
        using var response = await Eventd.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<JsonElement> OpenApiPathsAsync() =>
        JsonDocument.Parse(await GetTextAsync("/openapi/v1.json")).RootElement.GetProperty("paths").Clone();

    private static List<string> AssetReferences(string page) =>
        AssetReference().Matches(page).Select(m => m.Groups[1].Value).Distinct().ToList();

    /// <summary>Whether a route of the document (<c>/events/{id}</c>) serves a path of the script, whose <c>{name}</c> segments are filled in at run time.</summary>
    private static bool Matches(string route, string path)
    {
        var routeSegments = route.Split('/');
        var pathSegments = path.Split('/');
        return routeSegments.Length == pathSegments.Length
            && routeSegments.Zip(pathSegments).All(pair => IsParameter(pair.First) ? IsParameter(pair.Second) : pair.First == pair.Second);
    }

    private static bool IsParameter(string segment) => PathParameter().IsMatch(segment);
}
