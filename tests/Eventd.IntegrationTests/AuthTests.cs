using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Eventd.TestSupport;

namespace Eventd.IntegrationTests;

/// <summary>API.md "Keys and auth", against a gateway started with <c>Eventd__Auth__AdminKey</c>.</summary>
[Collection(KeyedClusterCollection.Name)]
public sealed class AuthTests(KeyedClusterFixture fixture)
{
    private const string Admin = KeyedClusterFixture.AdminKey;
    private EventdCluster Eventd => fixture.Eventd;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, object? body = null, string header = "X-Eventd-Secret") =>
        Eventd.SendWithKeyAsync(method, path, key, body is null ? null : JsonContent.Create(body), header);

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static object AnEvent() => new { delay = 3600, channel = "auth-tests", data = new { n = 1 } };

    [Theory]
    [InlineData("GET", "/eventd/v1/events")]
    [InlineData("POST", "/eventd/v1/events")]
    [InlineData("GET", "/webhook")]
    [InlineData("GET", "/v1/config/projects/shop/eventing/triggers")]
    [InlineData("DELETE", "/v1/keys/some-key")]
    [InlineData("POST", "/emit")]
    [InlineData("POST", "/query")]
    [InlineData("GET", "/v1/keys")]
    public async Task A_route_called_without_a_key_is_401_and_changes_nothing(string method, string path)
    {
        var before = await Eventd.StoredEventCountAsync();

        using var response = await SendAsync(new HttpMethod(method), path, null, method == "POST" ? AnEvent() : null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("X-Eventd-Secret", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await Eventd.StoredEventCountAsync());
    }

    [Fact]
    public async Task Each_family_refuses_in_its_own_error_shape()
    {
        using var v1 = await SendAsync(HttpMethod.Get, "/eventd/v1/events", "not-a-key");
        using var hooks = await SendAsync(HttpMethod.Get, "/webhook", "not-a-key");
        using var log = await SendAsync(HttpMethod.Get, "/v1/keys", "not-a-key");

        Assert.Equal(HttpStatusCode.Unauthorized, v1.StatusCode);
        Assert.False((await JsonAsync(v1)).GetProperty("ok").GetBoolean());
        Assert.StartsWith("X-Eventd-Secret:", (await JsonAsync(hooks)).GetProperty("error").GetString(), StringComparison.Ordinal);
        var logAnswer = await JsonAsync(log);
        Assert.Equal("error", logAnswer.GetProperty("status").GetString());
        Assert.StartsWith("X-Eventd-Secret:", logAnswer.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/metrics")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/dashboard")]
    [InlineData("/console")]
    public async Task Operations_routes_need_no_key(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_admin_key_creates_lists_and_revokes_project_keys_and_a_revoked_key_is_refused_at_once()
    {
        var name = Unique("ci");
        using var created = await SendAsync(HttpMethod.Post, "/v1/keys", Admin, new { name, project = "shop", environment = "staging" });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var answer = await JsonAsync(created);
        Assert.Equal("success", answer.GetProperty("status").GetString());
        var secret = answer.GetProperty("key").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", secret);

        using var listed = await SendAsync(HttpMethod.Get, "/v1/keys", Admin);
        var listText = await listed.Content.ReadAsStringAsync();
        var entry = JsonDocument.Parse(listText).RootElement.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("name").GetString() == name);
        Assert.Equal("shop", entry.GetProperty("project").GetString());
        Assert.Equal("staging", entry.GetProperty("environment").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", entry.GetProperty("createdAt").GetString());
        Assert.DoesNotContain(secret, listText, StringComparison.Ordinal);

        using var used = await SendAsync(HttpMethod.Get, "/v1/config/projects/shop/eventing/triggers", secret);
        Assert.Equal(HttpStatusCode.OK, used.StatusCode);

        using var revoked = await SendAsync(HttpMethod.Delete, $"/v1/keys/{name}", Admin);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        using var afterRevoke = await SendAsync(HttpMethod.Get, "/v1/config/projects/shop/eventing/triggers", secret);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
        using var again = await SendAsync(HttpMethod.Delete, $"/v1/keys/{name}", Admin);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Only_the_admin_key_manages_keys_and_bad_or_duplicate_keys_are_refused()
    {
        var name = Unique("dup");
        var secret = await Eventd.CreateKeyAsync(name, "shop");

        using var byProjectKey = await SendAsync(HttpMethod.Post, "/v1/keys", secret, new { name = Unique("x"), project = "shop" });
        using var duplicate = await SendAsync(HttpMethod.Post, "/v1/keys", Admin, new { name, project = "other" });
        using var noProject = await SendAsync(HttpMethod.Post, "/v1/keys", Admin, new { name = Unique("y") });
        using var badName = await SendAsync(HttpMethod.Post, "/v1/keys", Admin, new { name = "has space", project = "shop" });
        using var unknown = await SendAsync(HttpMethod.Post, "/v1/keys", Admin, new { name = Unique("z"), project = "shop", scope = "all" });

        Assert.Equal(HttpStatusCode.Forbidden, byProjectKey.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noProject.StatusCode);
        Assert.StartsWith("project:", (await JsonAsync(noProject)).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("name:", (await JsonAsync(badName)).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("scope:", (await JsonAsync(unknown)).GetProperty("message").GetString(), StringComparison.Ordinal);
        using var list = await SendAsync(HttpMethod.Get, "/v1/keys", Admin);
        var names = (await JsonAsync(list)).GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("name").GetString()).ToList();
        Assert.Single(names, n => n == name);
        Assert.DoesNotContain("has space", names);
    }

    [Theory]
    [InlineData("X-Eventd-Secret")]
    [InlineData("X-Buildable-Secret")]
    [InlineData("Authorization")]
    public async Task A_key_is_accepted_in_each_of_its_headers(string header)
    {
        var secret = await Eventd.CreateKeyAsync(Unique("hdr"), "shop");

        using var response = await SendAsync(HttpMethod.Get, "/eventd/v1/events", secret, header: header);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_project_key_reaches_only_its_own_projects_events()
    {
        var alpha = await Eventd.CreateKeyAsync(Unique("alpha"), "alpha");
        var beta = await Eventd.CreateKeyAsync(Unique("beta"), "beta");
        using var created = await SendAsync(HttpMethod.Post, "/eventd/v1/events", alpha, AnEvent());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await JsonAsync(created)).GetProperty("id").GetString()!;

        using var byOwner = await SendAsync(HttpMethod.Get, $"/eventd/v1/events/{id}", alpha);
        using var byAdmin = await SendAsync(HttpMethod.Get, $"/eventd/v1/events/{id}", Admin);
        using var byOther = await SendAsync(HttpMethod.Get, $"/eventd/v1/events/{id}", beta);
        using var otherCancels = await SendAsync(HttpMethod.Delete, $"/eventd/v1/events/{id}", beta);
        using var otherUpdates = await SendAsync(HttpMethod.Patch, $"/eventd/v1/event/{id}", beta, new { delay = 10 });
        using var otherList = await SendAsync(HttpMethod.Get, "/eventd/v1/events?pageSize=100", beta);
        using var ownerList = await SendAsync(HttpMethod.Get, "/eventd/v1/events?pageSize=100", alpha);

        Assert.Equal(HttpStatusCode.OK, byOwner.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byOther.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherCancels.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherUpdates.StatusCode);
        Assert.Equal("scheduled", (await Eventd.ReadEventAsyncWith(id, Admin)).GetProperty("status").GetString());
        Assert.DoesNotContain(id, await otherList.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(id, await ownerList.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_project_key_reaches_only_its_own_projects_triggers_and_hooks()
    {
        var alpha = await Eventd.CreateKeyAsync(Unique("alpha"), "alpha");
        var beta = await Eventd.CreateKeyAsync(Unique("beta"), "beta");

        using var ownTriggers = await SendAsync(HttpMethod.Get, "/v1/config/projects/alpha/eventing/triggers", alpha);
        using var otherTriggers = await SendAsync(HttpMethod.Get, "/v1/config/projects/alpha/eventing/triggers", beta);
        using var otherQueue = await SendAsync(HttpMethod.Post, "/v1/api/alpha/eventing/queue", beta, new { type = "x" });
        Assert.Equal(HttpStatusCode.OK, ownTriggers.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherTriggers.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherQueue.StatusCode);
        Assert.StartsWith("project:", (await JsonAsync(otherQueue)).GetProperty("error").GetString(), StringComparison.Ordinal);

        using var registered = await SendAsync(HttpMethod.Post, "/webhook", alpha, new { userid = "u1" });
        var hook = (await JsonAsync(registered)).GetProperty("id").GetString()!;
        using var otherTrigger = await SendAsync(HttpMethod.Get, $"/webhook/{hook}", beta);
        using var otherDelete = await SendAsync(HttpMethod.Delete, $"/webhook/{hook}", beta);
        using var otherList = await SendAsync(HttpMethod.Get, "/webhook?pageSize=100", beta);
        using var ownTrigger = await SendAsync(HttpMethod.Get, $"/webhook/{hook}", alpha);
        using var ownList = await SendAsync(HttpMethod.Get, "/webhook?pageSize=100", alpha);

        Assert.Equal(HttpStatusCode.Forbidden, otherTrigger.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherDelete.StatusCode);
        Assert.DoesNotContain(hook, await otherList.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, ownTrigger.StatusCode);
        var own = (await JsonAsync(ownList)).GetProperty("items").EnumerateArray().Single(h => h.GetProperty("id").GetString() == hook);
        Assert.Equal(1, own.GetProperty("triggerCount").GetInt32());
    }

    [Fact]
    public async Task Secrets_never_appear_in_the_gateways_log()
    {
        var secret = await Eventd.CreateKeyAsync(Unique("log"), "shop");
        using var used = await SendAsync(HttpMethod.Get, "/eventd/v1/events", secret);
        using var wrong = await SendAsync(HttpMethod.Get, "/eventd/v1/events", "wrong-secret-7c1d");
        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        // Log lines reach the process's output a moment after the answer.
        await Poll.UntilAsync(() => Eventd.Gateway!.Output.Contains("unknown or revoked secret key", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the refusal's log line");
        var output = Eventd.Gateway!.Output;
        Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-7c1d", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Admin, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_project_keys_channel_stream_shows_only_its_own_projects_fires()
    {
        var alpha = await Eventd.CreateKeyAsync(Unique("alpha"), "alpha");
        var beta = await Eventd.CreateKeyAsync(Unique("beta"), "beta");
        var channel = $"shared-{Guid.NewGuid():N}";
        await using var alphaStream = await SseStream.OpenAsync(Eventd.GatewayUrl, channel, alpha);
        await using var betaStream = await SseStream.OpenAsync(Eventd.GatewayUrl, channel, beta);
        await using var adminStream = await SseStream.OpenAsync(Eventd.GatewayUrl, channel, Admin);

        var alphaEvent = await CreateOnChannelAsync(alpha, channel);
        Assert.Equal($"{alphaEvent}.1", (await alphaStream.NextAsync(TimeSpan.FromSeconds(30))).Id);
        var betaEvent = await CreateOnChannelAsync(beta, channel);

        // The stream is in fire order: beta's first message being its own fire, not alpha's earlier one, shows the filter.
        Assert.Equal($"{betaEvent}.1", (await betaStream.NextAsync(TimeSpan.FromSeconds(30))).Id);
        Assert.Equal($"{alphaEvent}.1", (await adminStream.NextAsync(TimeSpan.FromSeconds(30))).Id);
        Assert.Equal($"{betaEvent}.1", (await adminStream.NextAsync(TimeSpan.FromSeconds(30))).Id);
    }

    [Fact]
    public async Task The_admin_key_lists_every_project_or_any_by_name_and_a_project_key_only_its_own()
    {
        var alpha = await Eventd.CreateKeyAsync(Unique("alpha"), "alpha");
        var beta = await Eventd.CreateKeyAsync(Unique("beta"), "beta");
        var id = await CreateOnChannelAsync(alpha, $"later-{Guid.NewGuid():N}", delay: 3600);
        using var registered = await SendAsync(HttpMethod.Post, "/webhook", alpha, new { userid = "u2" });
        var hook = (await JsonAsync(registered)).GetProperty("id").GetString()!;

        using var adminEvery = await SendAsync(HttpMethod.Get, "/eventd/v1/events?pageSize=100", Admin);
        using var adminDefault = await SendAsync(HttpMethod.Get, "/eventd/v1/events?project=default&pageSize=100", Admin);
        using var ownUnnamed = await SendAsync(HttpMethod.Get, "/eventd/v1/events?pageSize=100", beta);
        using var adminAlpha = await SendAsync(HttpMethod.Get, "/eventd/v1/events?project=alpha&pageSize=100", Admin);
        using var adminHooks = await SendAsync(HttpMethod.Get, "/webhook?project=alpha&pageSize=100", Admin);
        using var ownByName = await SendAsync(HttpMethod.Get, "/eventd/v1/events?project=alpha&pageSize=100", alpha);
        using var otherByName = await SendAsync(HttpMethod.Get, "/eventd/v1/events?project=alpha", beta);
        using var otherDeadLetters = await SendAsync(HttpMethod.Get, "/eventd/v1/deadletters?project=alpha", beta);
        using var badName = await SendAsync(HttpMethod.Get, "/webhook?project=no%20such", Admin);

        Assert.Contains(id, await adminEvery.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(id, await adminDefault.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(id, await ownUnnamed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(id, await adminAlpha.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(hook, await adminHooks.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(id, await ownByName.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, otherByName.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherDeadLetters.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.StartsWith("project:", (await JsonAsync(badName)).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private async Task<string> CreateOnChannelAsync(string key, string channel, int delay = 0)
    {
        using var created = await SendAsync(HttpMethod.Post, "/eventd/v1/events", key, new { delay, channel, data = new { n = 1 } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await JsonAsync(created)).GetProperty("id").GetString()!;
    }
}
