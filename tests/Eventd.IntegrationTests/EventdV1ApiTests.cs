using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Eventd.TestSupport;
using StackExchange.Redis;

namespace Eventd.IntegrationTests;

/// <summary>The create, read and cancel routes answered exactly as API.md section 1 says, bad input included.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class EventdV1ApiTests(SharedClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private EventdCluster Eventd => fixture.Eventd;

    [Fact]
    public async Task Create_answers_201_with_location_and_links()
    {
        using var response = await Eventd.Http.PostAsJsonAsync("/eventd/v1/events", new { delay = 3600, channel = "orders" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Json(response);
        var id = body.GetProperty("id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.True(body.GetProperty("ok").GetBoolean());
        Assert.Equal($"/eventd/v1/cancel/{id}", body.GetProperty("cancel").GetString());
        Assert.Equal($"/eventd/v1/update/{id}", body.GetProperty("update").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("error").ValueKind);
        Assert.Equal($"/eventd/v1/events/{id}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Read_shows_the_spec_as_stored_with_its_schedule()
    {
        var timestamp = DateTimeOffset.UtcNow.AddHours(1);
        var id = await Eventd.CreateEventAsync(new
        {
            timestamp = timestamp.ToUnixTimeMilliseconds(),
            delay = 30,
            webhook = new { url = "http://127.0.0.1:1/hook", method = "PATCH" },
            payload = new { a = 1 },
            retries = 5,
            timeout = 2500,
        });

        var read = await Eventd.ReadEventAsync(id);

        Assert.Equal(id, read.GetProperty("id").GetString());
        Assert.Equal("scheduled", read.GetProperty("status").GetString());
        Assert.Equal("http://127.0.0.1:1/hook", read.GetProperty("url").GetString());
        Assert.Equal("PATCH", read.GetProperty("method").GetString());
        Assert.Equal(5, read.GetProperty("retries").GetInt32());
        Assert.Equal(2500, read.GetProperty("timeout").GetInt32());
        Assert.Equal(1, read.GetProperty("data").GetProperty("a").GetInt32());
        Assert.Equal(0, read.GetProperty("fireCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("lastDelivery").ValueKind);
        Assert.Equal(JsonValueKind.Null, read.GetProperty("type").ValueKind);
        Assert.Equal("default", read.GetProperty("project").GetString());
        var nextFireAt = read.GetProperty("nextFireAt").GetDateTimeOffset();
        Assert.Equal(timestamp.AddSeconds(30).ToUnixTimeMilliseconds(), nextFireAt.ToUnixTimeMilliseconds());
        Assert.EndsWith("Z", read.GetProperty("createdAt").GetString());
    }

    [Fact]
    public async Task Unknown_or_malformed_id_is_404()
    {
        using var unknown = await Eventd.Http.GetAsync($"/eventd/v1/events/{Guid.NewGuid():N}");
        using var malformed = await Eventd.Http.GetAsync("/eventd/v1/events/not-an-id");
        using var cancelUnknown = await Eventd.Http.DeleteAsync($"/eventd/v1/events/{Guid.NewGuid():N}");
        using var deliveriesUnknown = await Eventd.Http.GetAsync($"/eventd/v1/events/{Guid.NewGuid():N}/deliveries");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, cancelUnknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, deliveriesUnknown.StatusCode);
        var body = await Json(unknown);
        Assert.False(body.GetProperty("ok").GetBoolean());
        Assert.StartsWith("id:", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Cancel_answers_200_twice_and_the_event_never_fires()
    {
        var cancelledPath = $"/cancelled/{Guid.NewGuid():N}";
        var controlPath = $"/control/{Guid.NewGuid():N}";
        var cancelled = await Eventd.CreateEventAsync(new { delay = 1.5, url = Eventd.Receiver.Url(cancelledPath) });
        var cancelledByPost = await Eventd.CreateEventAsync(new { delay = 1.5, url = Eventd.Receiver.Url(cancelledPath) });
        var control = await Eventd.CreateEventAsync(new { delay = 2, url = Eventd.Receiver.Url(controlPath) });

        using var first = await Eventd.Http.DeleteAsync($"/eventd/v1/events/{cancelled}");
        using var second = await Eventd.Http.DeleteAsync($"/eventd/v1/cancel/{cancelled}");
        using var byPost = await Eventd.Http.PostAsync($"/eventd/v1/cancel/{cancelledByPost}", null);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byPost.StatusCode);
        var body = await Json(first);
        Assert.Equal(cancelled, body.GetProperty("id").GetString());
        Assert.True(body.GetProperty("ok").GetBoolean());

        // The control event was due later: once it has arrived, a cancelled fire would have too.
        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(controlPath).Count == 1, Deadline, "the control event");
        Assert.Empty(Eventd.Receiver.ReceivedOn(cancelledPath));
        var read = await Eventd.ReadEventAsync(cancelled);
        Assert.Equal("cancelled", read.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("nextFireAt").ValueKind);
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"delay": -1, "url": "http://127.0.0.1:1/"}""", "delay:" },
        { """{"delay": "5", "url": "http://127.0.0.1:1/"}""", "delay:" },
        { """{"delay": 5}""", "url:" },
        { """{"url": "ftp://example.com/x"}""", "url:" },
        { """{"url": "http://user:pw@example.com/x"}""", "url:" },
        { """{"url": "http://127.0.0.1:1/", "method": "TRACE"}""", "method:" },
        { """{"url": "http://127.0.0.1:1/", "headers": {"Host": "x"}}""", "headers.Host:" },
        { """{"url": "http://127.0.0.1:1/", "headers": {"webhook-id": "x"}}""", "headers.webhook-id:" },
        { """{"url": "http://127.0.0.1:1/", "headers": {"X-A": "a\r\nb"}}""", "headers.X-A:" },
        { """{"channel": "-bad"}""", "channel:" },
        { """{"url": "http://127.0.0.1:1/", "retries": 101}""", "retries:" },
        { """{"url": "http://127.0.0.1:1/", "timeout": 99}""", "timeout:" },
        { """{"url": "http://127.0.0.1:1/", "repeat": true, "delay": 0.5}""", "delay:" },
        { """{"url": "http://127.0.0.1:1/", "repeat": 0}""", "repeat:" },
        { """{"url": "http://127.0.0.1:1/", "cron": "not cron"}""", "cron:" },
        { """{"url": "http://127.0.0.1:1/", "delay": 400000000}""", "delay:" },
        { """{"url": "http://127.0.0.1:1/", "timestamp": "yesterday-ish"}""", "timestamp:" },
        { """{"url": "http://127.0.0.1:1/", "dely": 5}""", "dely:" },
        { """{"webhook": {"url": "http://127.0.0.1:1/", "verb": "POST"}}""", "webhook.verb:" },
        { """{"url": "http://127.0.0.1:1/", "data": 1, "payload": 2}""", "payload:" },
        { """{"url": "http://127.0.0.1:1/", "delay": 1, "delay": 2}""", "delay:" },
        { """[1, 2]""", "body:" },
        { """{"url": """, "body:" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_create_body_is_400_naming_the_field_and_stores_nothing(string body, string field)
    {
        var before = await Eventd.StoredEventCountAsync();

        using var response = await Eventd.Http.PostAsync("/eventd/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await Json(response);
        Assert.Equal(JsonValueKind.Null, error.GetProperty("id").ValueKind);
        Assert.False(error.GetProperty("ok").GetBoolean());
        Assert.StartsWith(field, error.GetProperty("error").GetString());
        Assert.Equal(before, await Eventd.StoredEventCountAsync());
    }

    [Fact]
    public async Task Json_sent_as_another_content_type_is_415()
    {
        using var response = await Eventd.Http.PostAsync("/eventd/v1/events",
            new StringContent("""{"channel": "x"}""", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.StartsWith("Content-Type:", (await Json(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Body_over_the_limit_is_413()
    {
        var huge = $$"""{"channel": "x", "data": "{{new string('a', 1024 * 1024 + 10)}}"}""";
        using var response = await Eventd.Http.PostAsync("/eventd/v1/events", new StringContent(huge, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_route_is_404_and_wrong_method_is_405()
    {
        using var unknown = await Eventd.Http.GetAsync("/eventd/v1/nothing-here");
        using var wrongMethod = await Eventd.Http.PutAsync("/eventd/v1/events", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.False((await Json(wrongMethod)).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Health_and_readiness_answer_200_while_the_cluster_runs()
    {
        using var health = await Eventd.Http.GetAsync("/healthz");
        using var ready = await Eventd.Http.GetAsync("/readyz");
        using var metrics = await Eventd.Http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("http_server_request_duration", await metrics.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
