using System.Security.Cryptography;
using System.Text;
using Eventd.TestSupport;
using Xunit.Abstractions;

namespace Eventd.IntegrationTests;

[Collection(SharedClusterCollection.Name)]
public sealed class WebhookDeliveryTests(SharedClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private EventdCluster Eventd => fixture.Eventd;

    [Fact]
    public async Task Created_event_reaches_its_webhook_with_signed_headers_and_body()
    {
        var path = $"/signed/{Guid.NewGuid():N}";
        var id = await Eventd.CreateEventAsync(new
        {
            delay = 1,
            url = Eventd.Receiver.Url(path),
            method = "PUT",
            headers = new Dictionary<string, string> { ["X-Tenant"] = "acme" },
            payload = new { order = 42, items = new[] { "a", "b" } },
        });

        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count == 1, Deadline, "the webhook");

        var request = Eventd.Receiver.ReceivedOn(path)[0];
        Assert.Equal("PUT", request.Method);
        Assert.Equal("""{"order":42,"items":["a","b"]}""", request.Body);
        Assert.StartsWith("application/json", request.Header("Content-Type"));
        Assert.Equal("acme", request.Header("X-Tenant"));
        Assert.StartsWith("eventd/", request.Header("User-Agent"));
        Assert.Equal($"{id}.1", request.Header("webhook-id"));
        var timestamp = long.Parse(request.Header("webhook-timestamp")!);
        Assert.InRange(timestamp, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal(ExpectedSignature($"{id}.1", timestamp, request.Body), request.Header("webhook-signature"));
    }

    [Fact]
    public async Task Read_after_delivery_shows_the_fire_and_its_outcome()
    {
        var path = $"/read/{Guid.NewGuid():N}";
        var id = await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url(path), data = new { x = 1 } });

        var view = await Poll.UntilAsync(() => Eventd.ReadEventAsync(id), e => e.GetProperty("status").GetString() == "delivered", Deadline, "delivered");

        Assert.Equal(1, view.GetProperty("fireCount").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, view.GetProperty("nextFireAt").ValueKind);
        var last = view.GetProperty("lastDelivery");
        Assert.Equal("delivered", last.GetProperty("status").GetString());
        Assert.Equal(1, last.GetProperty("attempts").GetInt32());
        Assert.Equal(200, last.GetProperty("statusCode").GetInt32());
        Assert.Equal(1, view.GetProperty("data").GetProperty("x").GetInt32());
    }

    [Fact]
    public async Task Receiver_failing_twice_gets_three_attempts_with_one_webhook_id()
    {
        var path = $"/flaky/{Guid.NewGuid():N}";
        var failures = 0;
        Eventd.Receiver.Respond = (_, r) => r.Path == path && Interlocked.Increment(ref failures) <= 2 ? (500, null) : (200, null);
        try
        {
            var id = await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url(path), retries = 3 });
            var view = await Poll.UntilAsync(() => Eventd.ReadEventAsync(id), e => e.GetProperty("status").GetString() == "delivered", Deadline, "delivered");

            var requests = Eventd.Receiver.ReceivedOn(path);
            Assert.Equal(3, requests.Count);
            Assert.All(requests, r => Assert.Equal($"{id}.1", r.Header("webhook-id")));
            Assert.Equal(3, view.GetProperty("lastDelivery").GetProperty("attempts").GetInt32());

            using var deliveries = await Eventd.Http.GetAsync($"/eventd/v1/events/{id}/deliveries");
            var body = System.Text.Json.JsonDocument.Parse(await deliveries.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(id, body.GetProperty("id").GetString());
            Assert.True(body.GetProperty("ok").GetBoolean());
            var attempts = body.GetProperty("deliveries").EnumerateArray().ToList();
            Assert.Equal([1, 2, 3], attempts.Select(a => a.GetProperty("attempt").GetInt32()));
            Assert.All(attempts, a => Assert.Equal(1, a.GetProperty("seq").GetInt32()));
            Assert.Equal([500, 500, 200], attempts.Select(a => a.GetProperty("statusCode").GetInt32()));
            Assert.Equal("HTTP 500", attempts[0].GetProperty("error").GetString());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, attempts[2].GetProperty("error").ValueKind);
            Assert.All(attempts, a => Assert.True(a.GetProperty("durationMs").GetInt64() >= 0));
        }
        finally
        {
            Eventd.Receiver.Respond = null;
        }
    }

    [Fact]
    public async Task Hundred_events_due_in_two_seconds_arrive_on_time_and_never_early()
    {
        const int count = 100;
        var path = $"/lateness/{Guid.NewGuid():N}";
        var due = new Dictionary<string, DateTimeOffset>();
        for (var i = 0; i < count; i++)
        {
            var id = await Eventd.CreateEventAsync(new { delay = 2, url = Eventd.Receiver.Url(path) });
            var view = await Eventd.ReadEventAsync(id);
            due[$"{id}.1"] = view.GetProperty("nextFireAt").GetDateTimeOffset();
        }

        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count >= count, Deadline, $"{count} webhooks");

        var received = Eventd.Receiver.ReceivedOn(path);
        Assert.Equal(count, received.Count);
        Assert.Equal(count, received.Select(r => r.Header("webhook-id")).Distinct().Count());
        var lateness = received.Select(r => (r.At - due[r.Header("webhook-id")!]).TotalMilliseconds).Order().ToArray();
        Assert.All(lateness, ms => Assert.True(ms >= 0, $"a fire arrived {-ms} ms before its due time"));
        output.WriteLine($"lateness over {count} events due 2 s ahead: p50 {lateness[count / 2]:F1} ms, p99 {lateness[(int)(count * 0.99) - 1]:F1} ms, max {lateness[^1]:F1} ms");
    }

    private static string ExpectedSignature(string webhookId, long timestamp, string body)
    {
        var key = Convert.FromBase64String(EventdCluster.SigningSecret["whsec_".Length..]);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }
}
