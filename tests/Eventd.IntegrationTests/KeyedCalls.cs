using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Eventd.IntegrationTests;

/// <summary>Requests to a keyed gateway as a client sends them: with the admin key unless another is given.</summary>
public sealed class KeyedCalls(EventdCluster eventd)
{
    public const string Admin = KeyedClusterFixture.AdminKey;

    /// <summary>A name no other test uses, valid as a key name, a project and an environment.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>Sends <paramref name="body"/> as JSON with <paramref name="key"/> (null: none) and an <c>Idempotency-Key</c> when given.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, string? key = Admin, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("X-Eventd-Secret", key);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await eventd.Http.SendAsync(request);
    }

    /// <summary>Sends a request that must answer 200 and answers its body as JSON.</summary>
    public async Task<JsonElement> OkJsonAsync(HttpMethod method, string path, object? body = null, string? key = Admin)
    {
        using var response = await SendAsync(method, path, body, key);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<string> TextAsync(HttpMethod method, string path)
    {
        using var response = await SendAsync(method, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task SetTriggerAsync(string project, string name, object trigger) =>
        Assert.True((await OkJsonAsync(HttpMethod.Post, $"/v1/config/projects/{project}/eventing/triggers/{name}", trigger)).GetProperty("ok").GetBoolean());

    public Task<JsonElement> ReadQueuedAsync(string project, string id) => OkJsonAsync(HttpMethod.Get, $"/v1/api/{project}/eventing/events/{id}");

    public async Task<string> RegisterHookAsync(object registration) =>
        (await OkJsonAsync(HttpMethod.Post, "/webhook", registration)).GetProperty("id").GetString()!;

    /// <summary>The first 100 hooks of the admin key's list (project <c>default</c>), newest first.</summary>
    public async Task<List<JsonElement>> ListedHooksAsync() =>
        [.. (await OkJsonAsync(HttpMethod.Get, "/webhook?pageSize=100")).GetProperty("items").EnumerateArray()];

    public async Task<long> HookTotalAsync() => (await OkJsonAsync(HttpMethod.Get, "/webhook?pageSize=1")).GetProperty("total").GetInt64();
}
