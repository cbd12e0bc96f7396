using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Eventd.TestSupport;

namespace Eventd.IntegrationTests;

/// <summary>API.md section 2: Retry-After, dead letters and redelivery, against the real processes.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class DeliveryPolicyTests(SharedClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private EventdCluster Eventd => fixture.Eventd;

    [Fact]
    public async Task Retry_after_on_429_delays_the_next_attempt()
    {
        var path = $"/throttled/{Guid.NewGuid():N}";
        var calls = 0;
        Eventd.Receiver.Respond = (_, r) => r.Path == path && Interlocked.Increment(ref calls) == 1
            ? (429, new Dictionary<string, string> { ["Retry-After"] = "2" })
            : (200, null);
        try
        {
            var id = await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url(path) });
            await Poll.UntilAsync(() => Eventd.ReadEventAsync(id), e => e.GetProperty("status").GetString() == "delivered", Deadline, "delivery after the 429");

            var requests = Eventd.Receiver.ReceivedOn(path);
            Assert.Equal(2, requests.Count);
            Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(2), $"retried after {(requests[1].At - requests[0].At).TotalMilliseconds} ms");
            Assert.All(requests, r => Assert.Equal($"{id}.1", r.Header("webhook-id")));
        }
        finally
        {
            Eventd.Receiver.Respond = null;
        }
    }

    [Fact]
    public async Task Exhausted_fire_is_a_dead_letter_until_a_redelivery_succeeds()
    {
        var path = $"/dead/{Guid.NewGuid():N}";
        var healthy = false;
        Eventd.Receiver.Respond = (_, r) => r.Path == path && !Volatile.Read(ref healthy) ? (500, null) : (200, null);
        try
        {
            var id = await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url(path), retries = 1 });
            await Poll.UntilAsync(() => Eventd.ReadEventAsync(id), e => e.GetProperty("status").GetString() == "failed", Deadline, "the event to fail");

            var letter = await Poll.UntilAsync(() => FindDeadLetterAsync(id), l => l is not null, Deadline, "the dead letter");
            Assert.Equal(1, letter!.Value.GetProperty("seq").GetInt32());
            Assert.Equal(Eventd.Receiver.Url(path), letter.Value.GetProperty("url").GetString());
            Assert.Equal(2, letter.Value.GetProperty("attempts").GetInt32());
            Assert.Equal("HTTP 500", letter.Value.GetProperty("lastError").GetString());
            Assert.True(letter.Value.GetProperty("failedAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow);

            Volatile.Write(ref healthy, true);
            using var redeliver = await Eventd.Http.PostAsync($"/eventd/v1/events/{id}/redeliver", null);
            Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);

            var delivered = await Poll.UntilAsync(() => Eventd.ReadEventAsync(id), e => e.GetProperty("status").GetString() == "delivered", Deadline, "the redelivery");
            Assert.Equal(1, delivered.GetProperty("lastDelivery").GetProperty("attempts").GetInt32());
            Assert.Equal(1, delivered.GetProperty("fireCount").GetInt32());
            var requests = Eventd.Receiver.ReceivedOn(path);
            Assert.Equal(3, requests.Count);
            Assert.All(requests, r => Assert.Equal($"{id}.1", r.Header("webhook-id")));
            Assert.Null(await FindDeadLetterAsync(id));
        }
        finally
        {
            Eventd.Receiver.Respond = null;
        }
    }

    [Fact]
    public async Task Without_a_project_a_caller_reaching_every_project_lists_every_projects_events_and_dead_letters()
    {
        var project = $"p{Guid.NewGuid():N}";
        var type = $"every-{Guid.NewGuid():N}";
        var path = $"/every/{Guid.NewGuid():N}";
        Eventd.Receiver.Respond = (_, r) => r.Path == path ? (500, null) : (200, null);
        try
        {
            using (var trigger = await Eventd.Http.PostAsJsonAsync($"/v1/config/projects/{project}/eventing/triggers/t", new { type, url = Eventd.Receiver.Url(path), retries = 0 }))
            using (var queued = await Eventd.Http.PostAsJsonAsync($"/v1/api/{project}/eventing/queue", new { type }))
            {
                Assert.Equal(HttpStatusCode.OK, trigger.StatusCode);
                Assert.Equal(HttpStatusCode.OK, queued.StatusCode);
            }

            var failed = await Poll.UntilAsync(() => ListAsync($"/eventd/v1/events?q={type}&status=failed"), l => l.GetProperty("total").GetInt32() == 1, Deadline, "the delivery to fail");
            var item = failed.GetProperty("items")[0];
            Assert.Equal((type, project), (item.GetProperty("type").GetString(), item.GetProperty("project").GetString()));
            var id = item.GetProperty("id").GetString()!;
            Assert.Equal(1, (await ListAsync($"/eventd/v1/events?q={type}&project={project}")).GetProperty("total").GetInt32());
            Assert.Equal(0, (await ListAsync($"/eventd/v1/events?q={type}&project=default")).GetProperty("total").GetInt32());
            Assert.NotNull(await Poll.UntilAsync(() => FindDeadLetterAsync(id), l => l is not null, Deadline, "the dead letter"));
            Assert.NotNull(await FindDeadLetterAsync(id, $"&project={project}"));
            Assert.Null(await FindDeadLetterAsync(id, "&project=default"));
        }
        finally
        {
            Eventd.Receiver.Respond = null;
        }
    }

    private async Task<JsonElement> ListAsync(string route)
    {
        using var response = await Eventd.Http.GetAsync(route);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Theory]
    [InlineData("%20")]
    [InlineData("%09")]
    [InlineData("not-an-id")]
    public async Task Redeliver_of_an_id_that_cannot_be_an_events_is_404(string id)
    {
        using var response = await Eventd.Http.PostAsync($"/eventd/v1/events/{id}/redeliver", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Redeliver_of_an_unknown_event_is_404_and_of_a_channel_only_event_is_409()
    {
        var channelOnly = await Eventd.CreateEventAsync(new { channel = "no-webhook" });

        using var unknown = await Eventd.Http.PostAsync($"/eventd/v1/events/{Guid.NewGuid():N}/redeliver", null);
        using var nothing = await Eventd.Http.PostAsync($"/eventd/v1/events/{channelOnly}/redeliver", null);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, nothing.StatusCode);
    }

    [Fact]
    public async Task Dead_letters_page_size_is_bounded()
    {
        using var response = await Eventd.Http.GetAsync("/eventd/v1/deadletters?pageSize=101");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<JsonElement?> FindDeadLetterAsync(string id, string project = "")
    {
        var page = await ListAsync($"/eventd/v1/deadletters?pageSize=100{project}");
        Assert.True(page.GetProperty("ok").GetBoolean());
        return page.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("id").GetString() == id).Select(i => (JsonElement?)i).FirstOrDefault();
    }
}
