using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Eventd.IntegrationTests;

/// <summary><c>Idempotency-Key</c> on create (API.md "General rules"): a repeat answers the first response and creates nothing.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class IdempotencyTests(SharedClusterFixture fixture)
{
    private const string CreatePath = "/eventd/v1/events";
    private const string Body = """{"delay": 3600, "channel": "idempotency"}""";
    private EventdCluster Eventd => fixture.Eventd;

    [Fact]
    public async Task Same_key_and_body_replays_the_first_201_and_creates_one_event()
    {
        var key = NewKey();
        var before = await Eventd.StoredEventCountAsync();

        using var first = await PostAsync(Body, key);
        using var second = await PostAsync(Body, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.NotNull(first.Headers.Location);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(first.Content.Headers.ContentType, second.Content.Headers.ContentType);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", Assert.Single(second.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(before + 1, await Eventd.StoredEventCountAsync());
    }

    [Fact]
    public async Task Same_key_with_another_body_is_422_and_creates_nothing()
    {
        var key = NewKey();
        using var first = await PostAsync(Body, key);
        var before = await Eventd.StoredEventCountAsync();

        using var reused = await PostAsync("""{"delay": 60, "channel": "idempotency"}""", key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal((HttpStatusCode)422, reused.StatusCode);
        Assert.Equal("Idempotency-Key: already used for a different request", await ErrorAsync(reused));
        Assert.Equal(before, await Eventd.StoredEventCountAsync());
    }

    [Fact]
    public async Task Different_keys_create_two_events()
    {
        var before = await Eventd.StoredEventCountAsync();

        using var first = await PostAsync(Body, NewKey());
        using var second = await PostAsync(Body, NewKey());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.NotEqual(first.Headers.Location, second.Headers.Location);
        Assert.False(second.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(before + 2, await Eventd.StoredEventCountAsync());
    }

    [Fact]
    public async Task A_400_is_not_remembered_so_the_corrected_request_creates_under_the_same_key()
    {
        var key = NewKey();
        var before = await Eventd.StoredEventCountAsync();

        using var refused = await PostAsync("""{"delay": -1, "channel": "idempotency"}""", key);
        using var again = await PostAsync("""{"delay": -1, "channel": "idempotency"}""", key);
        using var corrected = await PostAsync(Body, key);
        using var repeated = await PostAsync(Body, key);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.StartsWith("delay:", await ErrorAsync(refused));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.False(again.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        Assert.Equal("true", Assert.Single(repeated.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(before + 1, await Eventd.StoredEventCountAsync());
    }

    [Fact]
    public async Task The_first_response_is_kept_for_24_hours()
    {
        var key = NewKey();

        using var response = await PostAsync(Body, key);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var ttl = await Eventd.RedisDb.KeyTimeToLiveAsync(StorageKey(key));
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromHours(23), TimeSpan.FromHours(24));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData(null)]
    public async Task An_invalid_key_is_400_naming_the_header(string? key)
    {
        var before = await Eventd.StoredEventCountAsync();

        using var response = await PostAsync(Body, key ?? new string('k', 300));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Idempotency-Key:", await ErrorAsync(response));
        Assert.Equal(before, await Eventd.StoredEventCountAsync());
    }

    [Fact]
    public async Task A_key_of_255_characters_is_accepted()
    {
        using var response = await PostAsync(Body, NewKey().PadRight(255, 'k'));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Two_identical_creates_racing_with_one_key_make_one_event()
    {
        var key = NewKey();
        var before = await Eventd.StoredEventCountAsync();

        var responses = await Task.WhenAll(PostAsync(Body, key), PostAsync(Body, key));

        var ids = new List<string?>();
        foreach (var response in responses)
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                ids.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString());
            }
        }

        Assert.Single(ids.Distinct());
        Assert.Equal(before + 1, await Eventd.StoredEventCountAsync());
    }

    [Fact]
    public async Task Routes_that_do_not_create_ignore_the_key()
    {
        var key = NewKey();
        using var created = await PostAsync(Body, NewKey());
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        using var cancel = await PostAsync("", key, $"/eventd/v1/cancel/{id}");

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.False(cancel.Headers.Contains("Idempotent-Replayed"));
        Assert.False(await Eventd.RedisDb.KeyExistsAsync(StorageKey(key)));
    }

    private static string NewKey() => $"test-{Guid.NewGuid():N}";

    /// <summary>Where the key's grain keeps a key of the default project (ServiceId "eventd").</summary>
    private static string StorageKey(string key) =>
        $"eventd/state/idempotencykey/default/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))}/key";

    private async Task<HttpResponseMessage> PostAsync(string body, string key, string path = CreatePath)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return await Eventd.Http.SendAsync(request);
    }

    private static async Task<string?> ErrorAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
}
