using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Eventd.TestSupport;

namespace Eventd.IntegrationTests;

/// <summary>
/// API.md section 2, "Endpoint health" and "Bulk redrive", against the real processes. A test that disables
/// an endpoint uses a receiver (an origin) of its own: the shared receiver must stay enabled for every other test.
/// </summary>
[Collection(SharedClusterCollection.Name)]
public sealed class EndpointHealthTests(SharedClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private EventdCluster Eventd => fixture.Eventd;

    [Fact]
    public async Task A_410_disables_the_endpoint_the_next_fire_is_dead_lettered_without_a_request_and_enable_with_bulk_redrive_delivers_it()
    {
        await using var receiver = new Receiver();
        await receiver.StartAsync();
        var gone = true;
        receiver.Respond = (_, _) => Volatile.Read(ref gone) ? (410, null) : (200, null);
        var origin = $"http://127.0.0.1:{receiver.Port}";

        var first = await Eventd.CreateEventAsync(new { url = receiver.Url("/gone"), retries = 0 });
        await UntilStatusAsync(first, "failed");
        var endpoint = await Poll.UntilAsync(() => FindEndpointAsync(origin), e => e?.GetProperty("status").GetString() == "disabled", Deadline, "the endpoint to be disabled");
        Assert.Equal("410 Gone", endpoint!.Value.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.String, endpoint.Value.GetProperty("disabledAt").ValueKind);
        Assert.Equal(JsonValueKind.String, endpoint.Value.GetProperty("failingSince").ValueKind);
        Assert.Equal(JsonValueKind.Null, endpoint.Value.GetProperty("lastSuccessAt").ValueKind);

        var next = await Eventd.CreateEventAsync(new { url = receiver.Url("/next"), retries = 3 });
        var refused = await UntilStatusAsync(next, "failed");
        Assert.Equal("endpoint disabled", refused.GetProperty("lastDelivery").GetProperty("error").GetString());
        Assert.Empty(receiver.ReceivedOn("/next"));
        var letter = await Poll.UntilAsync(() => FindDeadLetterAsync(next), l => l is not null, Deadline, "the dead letter");
        Assert.Equal("endpoint disabled", letter!.Value.GetProperty("lastError").GetString());
        await Poll.UntilAsync(() => ScrapeDisabledGaugeAsync(), n => n >= 1, Deadline, "the disabled-endpoints gauge");

        Volatile.Write(ref gone, false);
        using (var enable = await Eventd.Http.PostAsJsonAsync("/eventd/v1/endpoints/enable", new { origin }))
        {
            Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        }

        Assert.Equal("enabled", (await FindEndpointAsync(origin))!.Value.GetProperty("status").GetString());
        Assert.Equal(1, await RedriveAsync(new { url = receiver.Url("/next") }));
        await UntilStatusAsync(next, "delivered");
        var requests = receiver.ReceivedOn("/next");
        Assert.Single(requests);
        Assert.Equal($"{next}.1", requests[0].Header("webhook-id"));
        Assert.Null(await FindDeadLetterAsync(next));
        Assert.Equal("failed", (await Eventd.ReadEventAsync(first)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Bulk_redrive_selects_dead_letters_by_url_prefix_failure_time_and_limit()
    {
        var run = $"/redrive/{Guid.NewGuid():N}";
        var healthy = false;
        Eventd.Receiver.Respond = (_, r) => r.Path.StartsWith(run, StringComparison.Ordinal) && !Volatile.Read(ref healthy) ? (500, null) : (200, null);
        try
        {
            var start = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1);
            var chosen = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                chosen.Add(await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url($"{run}/a/{i}"), retries = 0 }));
            }

            var other = await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url($"{run}/b"), retries = 0 });
            foreach (var id in chosen.Append(other))
            {
                await Poll.UntilAsync(() => FindDeadLetterAsync(id), l => l is not null, Deadline, $"the dead letter of {id}");
            }

            Volatile.Write(ref healthy, true);
            var prefix = Eventd.Receiver.Url($"{run}/a");
            Assert.Equal(0, await RedriveAsync(new { url = prefix, since = DateTimeOffset.UtcNow.AddHours(1).ToString("O") }));
            Assert.Equal(0, await RedriveAsync(new { url = prefix, until = start.ToUnixTimeMilliseconds() }));
            Assert.Equal(2, await RedriveAsync(new { url = prefix, since = start.ToUnixTimeSeconds(), until = DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds(), limit = 2 }));

            var statuses = await Poll.UntilAsync(
                async () => await Task.WhenAll(chosen.Select(async id => (await Eventd.ReadEventAsync(id)).GetProperty("status").GetString())),
                s => s.Count(status => status == "delivered") == 2,
                Deadline,
                "two redriven fires to be delivered");
            Assert.Single(statuses, status => status == "failed");

            // The limit left one: it is still a dead letter, and the next redrive finds only it.
            Assert.Equal(1, await RedriveAsync(new { url = prefix }));
            foreach (var id in chosen)
            {
                await UntilStatusAsync(id, "delivered");
            }

            Assert.Equal("failed", (await Eventd.ReadEventAsync(other)).GetProperty("status").GetString());
            Assert.NotNull(await FindDeadLetterAsync(other));
        }
        finally
        {
            Eventd.Receiver.Respond = null;
        }
    }

    [Theory]
    [InlineData("/eventd/v1/deadletters/redeliver", """{"limit": 0}""", "limit:")]
    [InlineData("/eventd/v1/deadletters/redeliver", """{"limit": 10001}""", "limit:")]
    [InlineData("/eventd/v1/deadletters/redeliver", """{"since": "last tuesday"}""", "since:")]
    [InlineData("/eventd/v1/deadletters/redeliver", """{"url": 7}""", "url:")]
    [InlineData("/eventd/v1/deadletters/redeliver", """{"since": 2000, "until": 1000}""", "until:")]
    [InlineData("/eventd/v1/deadletters/redeliver", """{"prefix": "https://a"}""", "prefix: unknown field")]
    [InlineData("/eventd/v1/endpoints/enable", """{}""", "origin: required")]
    [InlineData("/eventd/v1/endpoints/enable", """{"origin": "not a url"}""", "origin:")]
    public async Task Bad_input_is_400_naming_the_field(string route, string body, string start)
    {
        using var response = await Eventd.Http.PostAsync(route, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.False(answer.GetProperty("ok").GetBoolean());
        Assert.StartsWith(start, answer.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enabling_an_origin_never_seen_is_404_and_an_empty_redrive_body_is_accepted()
    {
        using var unknown = await Eventd.Http.PostAsJsonAsync("/eventd/v1/endpoints/enable", new { origin = $"https://never-{Guid.NewGuid():N}.example" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.StartsWith("origin:", JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);

        // Selects nothing: no dead letter's url starts with a host nobody uses.
        Assert.Equal(0, await RedriveAsync(new { url = $"https://never-{Guid.NewGuid():N}.example/" }));
        using var listed = await Eventd.Http.GetAsync("/eventd/v1/endpoints");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.True(JsonDocument.Parse(await listed.Content.ReadAsStringAsync()).RootElement.GetProperty("ok").GetBoolean());
    }

    private Task<JsonElement> UntilStatusAsync(string id, string status) =>
        Poll.UntilAsync(() => Eventd.ReadEventAsync(id), e => e.GetProperty("status").GetString() == status, Deadline, $"event {id} to be {status}");

    private async Task<int> RedriveAsync(object body)
    {
        using var response = await Eventd.Http.PostAsJsonAsync("/eventd/v1/deadletters/redeliver", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"redrive answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("count").GetInt32();
    }

    private async Task<JsonElement?> FindEndpointAsync(string origin)
    {
        using var response = await Eventd.Http.GetAsync("/eventd/v1/endpoints");
        response.EnsureSuccessStatusCode();
        var items = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("items");
        return items.EnumerateArray().Where(e => e.GetProperty("origin").GetString() == origin).Select(e => (JsonElement?)e.Clone()).FirstOrDefault();
    }

    private async Task<JsonElement?> FindDeadLetterAsync(string id)
    {
        using var response = await Eventd.Http.GetAsync("/eventd/v1/deadletters?pageSize=100");
        response.EnsureSuccessStatusCode();
        var items = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("items");
        return items.EnumerateArray().Where(e => e.GetProperty("id").GetString() == id).Select(e => (JsonElement?)e.Clone()).FirstOrDefault();
    }

    private async Task<double> ScrapeDisabledGaugeAsync()
    {
        var text = await Eventd.Http.GetStringAsync("/metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("eventd_cluster_endpoints_disabled", StringComparison.Ordinal));
        return line is null ? -1 : double.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
