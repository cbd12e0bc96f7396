using System.Net.Http.Json;
using System.Text.Json;

namespace Eventd.IntegrationTests;

/// <summary>
/// What Redocly's recommended rules need of the OpenAPI document and the code can guarantee: unique operation ids,
/// a security list on every operation (empty for the open routes), no server URL ending in <c>/</c>, and a
/// documented 4xx on every route that can answer one. <c>tests/lint-openapi.sh</c> runs the linter itself, which
/// needs npm and the network, so it stays out of the suite.
/// </summary>
[Collection(SharedClusterCollection.Name)]
public sealed class OpenApiLintTests(SharedClusterFixture fixture)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    /// <summary>The routes that need no key; they answer no 4xx of their own either.</summary>
    private static readonly string[] OpenRoutes =
        ["/healthz", "/readyz", "/metrics", "/openapi/v1.json", "/dashboard", "/console", "/eventd/v1/signing-keys"];

    [Fact]
    public async Task Every_operation_has_an_operation_id_of_its_own()
    {
        var ids = (await OperationsAsync()).Select(o => o.Operation.GetProperty("operationId").GetString()).ToList();

        Assert.All(ids, id => Assert.False(string.IsNullOrEmpty(id)));
        Assert.Empty(ids.GroupBy(id => id).Where(same => same.Count() > 1).Select(same => same.Key));
    }

    [Fact]
    public async Task Every_operation_declares_its_security_and_the_open_routes_an_empty_list()
    {
        foreach (var (path, method, operation) in await OperationsAsync())
        {
            Assert.True(operation.TryGetProperty("security", out var security), $"{method} {path} declares no security");
            Assert.Equal(OpenRoutes.Contains(path) ? 0 : 3, security.GetArrayLength());
        }
    }

    [Fact]
    public async Task No_server_url_ends_with_a_slash()
    {
        var document = await fixture.Eventd.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var servers = document.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("url").GetString()!).ToList();
        Assert.NotEmpty(servers);
        Assert.All(servers, url => Assert.False(url.EndsWith('/'), $"server {url} ends with /"));
    }

    [Fact]
    public async Task Every_keyed_operation_documents_a_4xx_answer_in_its_family_shape()
    {
        var document = await fixture.Eventd.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var operations = Operations(document);

        var without4xx = operations
            .Where(o => !o.Operation.GetProperty("responses").EnumerateObject().Any(r => r.Name.StartsWith('4')))
            .Select(o => o.Path)
            .Distinct()
            .Order();
        Assert.Equal(OpenRoutes.Order(), without4xx);
        Assert.Contains("status", RefusalFields(document, "/v1/keys", "post"));
        Assert.Contains("error", RefusalFields(document, "/webhook", "post"));
        Assert.Contains("ok", RefusalFields(document, "/eventd/v1/events", "post"));
    }

    /// <summary>The fields of a route's 401 body, its schema inline or a reference to the components.</summary>
    private static List<string> RefusalFields(JsonElement document, string path, string method)
    {
        var schema = document.GetProperty("paths").GetProperty(path).GetProperty(method)
            .GetProperty("responses").GetProperty("401").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        if (schema.TryGetProperty("$ref", out var reference))
        {
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        return schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
    }

    private async Task<List<(string Path, string Method, JsonElement Operation)>> OperationsAsync() =>
        Operations(await fixture.Eventd.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json"));

    private static List<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        [.. document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(item => Methods.Contains(item.Name))
                .Select(item => (path.Name, item.Name, item.Value)))];
}
