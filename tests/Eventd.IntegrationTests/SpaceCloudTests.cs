using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Eventd.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Eventd.IntegrationTests;

/// <summary>Space Cloud eventing (API.md section 3), against the built gateway and silo.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class SpaceCloudTests(SharedClusterFixture fixture)
{
    // The test cluster's gateway runs with the default Orleans:ClusterId.
    private const string ClusterId = "eventd";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private EventdCluster Eventd => fixture.Eventd;

    private static string NewProject() => $"p{Guid.NewGuid():N}";

    private static string TriggersRoute(string project) => $"/v1/config/projects/{project}/eventing/triggers";

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private async Task SetTriggerAsync(string project, string name, object body)
    {
        using var response = await Eventd.Http.PostAsJsonAsync($"{TriggersRoute(project)}/{name}", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await JsonAsync(response)).GetProperty("ok").GetBoolean());
    }

    private async Task<string> QueueAsync(string project, object body, string route = "eventing/queue")
    {
        using var response = await Eventd.Http.PostAsJsonAsync($"/v1/api/{project}/{route}", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = (await JsonAsync(response)).GetProperty("id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", id);
        return id;
    }

    private async Task<JsonElement> ReadEventAsync(string project, string id)
    {
        using var response = await Eventd.Http.GetAsync($"/v1/api/{project}/eventing/events/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    private async Task<JsonElement[]> ListTriggersAsync(string project)
    {
        using var response = await Eventd.Http.GetAsync(TriggersRoute(project));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("result").EnumerateArray().ToArray();
    }

    [Fact]
    public async Task Triggers_are_created_replaced_listed_and_deleted_and_an_absent_one_is_404()
    {
        var project = NewProject();
        await SetTriggerAsync(project, "mailer", new { type = "sent-email", url = "https://example.com/a" });
        await SetTriggerAsync(project, "audit", new { type = "sent-email", url = "https://example.com/b", retries = 0, timeout = 1000 });
        await SetTriggerAsync(project, "mailer", new { type = "bounced", url = "https://example.com/c", retries = 7 });

        var listed = await ListTriggersAsync(project);

        Assert.Equal(["audit", "mailer"], listed.Select(t => t.GetProperty("id").GetString()));
        var mailer = listed[1];
        Assert.Equal(("bounced", "https://example.com/c", 7, 5000), (mailer.GetProperty("type").GetString(), mailer.GetProperty("url").GetString(), mailer.GetProperty("retries").GetInt32(), mailer.GetProperty("timeout").GetInt32()));
        Assert.Equal((0, 1000), (listed[0].GetProperty("retries").GetInt32(), listed[0].GetProperty("timeout").GetInt32()));

        using var deleted = await Eventd.Http.DeleteAsync($"{TriggersRoute(project)}/mailer");
        using var again = await Eventd.Http.DeleteAsync($"{TriggersRoute(project)}/mailer");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.True((await JsonAsync(deleted)).GetProperty("ok").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(["audit"], (await ListTriggersAsync(project)).Select(t => t.GetProperty("id").GetString()));
        Assert.Empty(await ListTriggersAsync(NewProject()));
    }

    [Theory]
    [InlineData("ok", """{"url":"https://example.com"}""", "type: required")]
    [InlineData("ok", """{"type":"t","url":"ftp://example.com"}""", "url: must be an absolute http or https URL")]
    [InlineData("ok", """{"type":"t","url":"https://example.com","retries":101}""", "retries: must be an integer from 0 to 100")]
    [InlineData("ok", """{"type":"t","url":"https://example.com","timeout":60001}""", "timeout: must be an integer from 100 to 60000")]
    [InlineData("ok", """{"type":"t","url":"https://example.com","retry":1}""", "retry: unknown field")]
    [InlineData("ok", """{"type":"t","type":"u","url":"https://example.com"}""", "type: duplicate key")]
    [InlineData("-no", """{"type":"t","url":"https://example.com"}""", "name: must be 1 to 64 letters, digits, '_' or '-', starting with a letter or digit")]
    public async Task Bad_trigger_bodies_are_400_naming_the_field_and_store_nothing(string name, string body, string error)
    {
        var project = NewProject();

        using var response = await Eventd.Http.PostAsync($"{TriggersRoute(project)}/{name}", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, (await JsonAsync(response)).GetProperty("error").GetString());
        Assert.Empty(await ListTriggersAsync(project));
    }

    [Fact]
    public async Task A_queued_event_fans_out_to_every_trigger_of_its_type_as_one_cloud_event_and_reads_back_delivered()
    {
        var project = NewProject();
        var (first, second, other) = ($"/sc-a/{Guid.NewGuid():N}", $"/sc-b/{Guid.NewGuid():N}", $"/sc-c/{Guid.NewGuid():N}");
        await SetTriggerAsync(project, "first", new { type = "sent-email", url = Eventd.Receiver.Url(first) });
        await SetTriggerAsync(project, "second", new { type = "sent-email", url = Eventd.Receiver.Url(second) });
        await SetTriggerAsync(project, "other", new { type = "bounced", url = Eventd.Receiver.Url(other) });
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var id = await QueueAsync(project, new { type = "sent-email", data = new { to = "a@b.c" } });

        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(first).Count == 1 && Eventd.Receiver.ReceivedOn(second).Count == 1, Deadline, "both deliveries");
        foreach (var request in Eventd.Receiver.ReceivedOn(first).Concat(Eventd.Receiver.ReceivedOn(second)))
        {
            Assert.Equal("POST", request.Method);
            Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
            Assert.NotNull(request.Header("webhook-signature"));
            var body = JsonDocument.Parse(request.Body).RootElement;
            Assert.Equal("1.0", body.GetProperty("specversion").GetString());
            Assert.Equal(id, body.GetProperty("id").GetString());
            Assert.Equal("sent-email", body.GetProperty("type").GetString());
            Assert.Equal($"{ClusterId}/{project}", body.GetProperty("source").GetString());
            Assert.InRange(body.GetProperty("time").GetDateTimeOffset(), before, DateTimeOffset.UtcNow);
            Assert.Equal("a@b.c", body.GetProperty("data").GetProperty("to").GetString());
        }

        var read = await Poll.UntilAsync(() => ReadEventAsync(project, id), e => e.GetProperty("status").GetString() == "delivered", Deadline, "the event to read delivered");
        Assert.Equal(id, read.GetProperty("id").GetString());
        Assert.Equal("sent-email", read.GetProperty("type").GetString());
        var deliveries = read.GetProperty("deliveries").EnumerateArray().OrderBy(d => d.GetProperty("trigger").GetString()).ToList();
        Assert.Equal(["first", "second"], deliveries.Select(d => d.GetProperty("trigger").GetString()));
        Assert.All(deliveries, d => Assert.Equal(("delivered", 1, 200), (d.GetProperty("status").GetString(), d.GetProperty("attempts").GetInt32(), d.GetProperty("statusCode").GetInt32())));
        Assert.Empty(Eventd.Receiver.ReceivedOn(other));
    }

    [Fact]
    public async Task A_failing_receiver_gets_retries_carrying_the_same_cloud_event_id()
    {
        var project = NewProject();
        var path = $"/sc-retry/{Guid.NewGuid():N}";
        Eventd.Receiver.Respond = (_, r) => r.Path == path && Eventd.Receiver.ReceivedOn(path).Count < 3 ? (500, null) : (200, null);
        try
        {
            await SetTriggerAsync(project, "flaky", new { type = "order", url = Eventd.Receiver.Url(path), retries = 3 });

            var id = await QueueAsync(project, new { type = "order" });

            var read = await Poll.UntilAsync(() => ReadEventAsync(project, id), e => e.GetProperty("status").GetString() == "delivered", Deadline, "delivery after two failures");
            var delivery = read.GetProperty("deliveries")[0];
            Assert.Equal((3, 200), (delivery.GetProperty("attempts").GetInt32(), delivery.GetProperty("statusCode").GetInt32()));
            var requests = Eventd.Receiver.ReceivedOn(path);
            Assert.Equal(3, requests.Count);
            Assert.All(requests, r => Assert.Equal(id, JsonDocument.Parse(r.Body).RootElement.GetProperty("id").GetString()));
            Assert.Single(requests.Select(r => r.Header("webhook-id")).Distinct());
            Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(requests[0].Body).RootElement.GetProperty("data").ValueKind);
        }
        finally
        {
            Eventd.Receiver.Respond = null;
        }
    }

    [Fact]
    public async Task A_space_cloud_client_s_body_with_payload_and_options_delivers_the_payload_as_data()
    {
        var project = NewProject();
        var path = $"/sc-payload/{Guid.NewGuid():N}";
        await SetTriggerAsync(project, "mail", new { type = "sent-email", url = Eventd.Receiver.Url(path) });
        var listed = Assert.Single(await ListTriggersAsync(project));
        using (var postedBack = await Eventd.Http.PostAsync($"{TriggersRoute(project)}/mail", new StringContent(listed.GetRawText(), Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, postedBack.StatusCode);
        }

        await QueueAsync(project, new { type = "sent-email", payload = new { to = "a@b.c" }, options = new { col = "users" } });

        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count == 1, Deadline, "the payload's delivery");
        var cloudEvent = JsonDocument.Parse(Eventd.Receiver.ReceivedOn(path)[0].Body).RootElement;
        Assert.Equal("a@b.c", cloudEvent.GetProperty("data").GetProperty("to").GetString());
    }

    [Fact]
    public async Task The_event_triggers_alias_queues_as_well()
    {
        var project = NewProject();
        var path = $"/sc-alias/{Guid.NewGuid():N}";
        await SetTriggerAsync(project, "alias", new { type = "signup", url = Eventd.Receiver.Url(path) });

        var id = await QueueAsync(project, new { type = "signup" }, route: "event-triggers/queue");

        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count == 1, Deadline, "the alias's delivery");
        Assert.Equal(id, JsonDocument.Parse(Eventd.Receiver.ReceivedOn(path)[0].Body).RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_delayed_event_arrives_no_earlier_than_its_timestamp_plus_delay()
    {
        var project = NewProject();
        var path = $"/sc-later/{Guid.NewGuid():N}";
        await SetTriggerAsync(project, "later", new { type = "reminder", url = Eventd.Receiver.Url(path) });
        var timestamp = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeMilliseconds();
        var due = DateTimeOffset.FromUnixTimeMilliseconds(timestamp).AddSeconds(1.5);

        var id = await QueueAsync(project, new { type = "reminder", timestamp, delay = 1.5 });

        Assert.Equal("scheduled", (await ReadEventAsync(project, id)).GetProperty("status").GetString());
        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count == 1, Deadline, "the delayed delivery");
        Assert.True(Eventd.Receiver.ReceivedOn(path)[0].At >= due, $"arrived {Eventd.Receiver.ReceivedOn(path)[0].At:O}, due {due:O}");
    }

    [Fact]
    public async Task A_queue_with_no_matching_trigger_answers_an_id_that_reads_back_delivered_with_no_deliveries()
    {
        var project = NewProject();

        var id = await QueueAsync(project, new { type = "nobody-listens" });

        var read = await ReadEventAsync(project, id);
        Assert.Equal("delivered", read.GetProperty("status").GetString());
        Assert.Equal(0, read.GetProperty("deliveries").GetArrayLength());
        using var unknown = await Eventd.Http.GetAsync($"/v1/api/{project}/eventing/events/{Guid.NewGuid():N}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.StartsWith("id:", (await JsonAsync(unknown)).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_synchronous_event_answers_with_the_receivers_status_body_and_content_type_and_reads_back()
    {
        await using var receiver = await AnsweringReceiver.StartAsync(201, "text/plain; charset=utf-8", "queued by the receiver");
        var project = NewProject();
        await SetTriggerAsync(project, "sync", new { type = "charge", url = receiver.Url });

        using var response = await Eventd.Http.PostAsJsonAsync($"/v1/api/{project}/eventing/queue", new { type = "charge", isSynchronous = true, data = new { amount = 5 } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("queued by the receiver", await response.Content.ReadAsStringAsync());
        var sent = Assert.Single(receiver.Bodies);
        var cloudEvent = JsonDocument.Parse(sent).RootElement;
        Assert.Equal(5, cloudEvent.GetProperty("data").GetProperty("amount").GetInt32());
        var read = await ReadEventAsync(project, cloudEvent.GetProperty("id").GetString()!);
        Assert.Equal("delivered", read.GetProperty("status").GetString());
        var delivery = read.GetProperty("deliveries")[0];
        Assert.Equal(("sync", "delivered", 1, 201), (delivery.GetProperty("trigger").GetString(), delivery.GetProperty("status").GetString(), delivery.GetProperty("attempts").GetInt32(), delivery.GetProperty("statusCode").GetInt32()));
    }

    [Fact]
    public async Task A_synchronous_event_passes_on_an_error_status_without_retrying()
    {
        var project = NewProject();
        var path = $"/sc-teapot/{Guid.NewGuid():N}";
        Eventd.Receiver.Respond = (_, r) => r.Path == path ? (418, new Dictionary<string, string> { ["Content-Type"] = "application/problem+json" }) : (200, null);
        try
        {
            await SetTriggerAsync(project, "teapot", new { type = "brew", url = Eventd.Receiver.Url(path), retries = 5 });

            using var response = await Eventd.Http.PostAsJsonAsync($"/v1/api/{project}/eventing/queue", new { type = "brew", isSynchronous = true });

            Assert.Equal((HttpStatusCode)418, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("", await response.Content.ReadAsStringAsync());
            Assert.Single(Eventd.Receiver.ReceivedOn(path));
        }
        finally
        {
            Eventd.Receiver.Respond = null;
        }
    }

    [Fact]
    public async Task A_synchronous_event_with_two_matching_triggers_or_a_future_timestamp_is_400()
    {
        var project = NewProject();
        await SetTriggerAsync(project, "one", new { type = "dup", url = Eventd.Receiver.Url("/sc-never") });
        await SetTriggerAsync(project, "two", new { type = "dup", url = Eventd.Receiver.Url("/sc-never") });
        await SetTriggerAsync(project, "single", new { type = "solo", url = Eventd.Receiver.Url("/sc-never") });

        using var twoTriggers = await Eventd.Http.PostAsJsonAsync($"/v1/api/{project}/eventing/queue", new { type = "dup", isSynchronous = true });
        using var future = await Eventd.Http.PostAsJsonAsync($"/v1/api/{project}/eventing/queue", new { type = "solo", isSynchronous = true, timestamp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds() });
        using var delayed = await Eventd.Http.PostAsJsonAsync($"/v1/api/{project}/eventing/queue", new { type = "solo", isSynchronous = true, delay = 1 });

        Assert.Equal(HttpStatusCode.BadRequest, twoTriggers.StatusCode);
        Assert.StartsWith("type:", (await JsonAsync(twoTriggers)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.StartsWith("timestamp:", (await JsonAsync(future)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, delayed.StatusCode);
        Assert.StartsWith("delay:", (await JsonAsync(delayed)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(Eventd.Receiver.ReceivedOn("/sc-never"));
    }

    [Fact]
    public async Task A_synchronous_event_to_a_closed_port_is_502()
    {
        var project = NewProject();
        await SetTriggerAsync(project, "closed", new { type = "ping", url = $"http://127.0.0.1:{FreePort.Next()}/nobody" });

        using var response = await Eventd.Http.PostAsJsonAsync($"/v1/api/{project}/eventing/queue", new { type = "ping", isSynchronous = true });

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("url: connection refused", (await JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_bad_queue_body_is_400_naming_the_field()
    {
        using var response = await Eventd.Http.PostAsync($"/v1/api/{NewProject()}/eventing/queue", new StringContent("""{"type":"t","delay":-1}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("delay: must be a number of seconds >= 0", (await JsonAsync(response)).GetProperty("error").GetString());
    }

    /// <summary>A receiver that answers every request with one fixed status, content type and body, and keeps the bodies it got.</summary>
    private sealed class AnsweringReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly List<string> _bodies = [];

        private AnsweringReceiver(WebApplication app, int port)
        {
            _app = app;
            Url = $"http://127.0.0.1:{port}/answer";
        }

        public string Url { get; }

        public IReadOnlyList<string> Bodies
        {
            get
            {
                lock (_bodies)
                {
                    return _bodies.ToArray();
                }
            }
        }

        public static async Task<AnsweringReceiver> StartAsync(int status, string contentType, string body)
        {
            var port = FreePort.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
            var app = builder.Build();
            var receiver = new AnsweringReceiver(app, port);
            app.Run(async context =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var received = await reader.ReadToEndAsync();
                lock (receiver._bodies)
                {
                    receiver._bodies.Add(received);
                }

                context.Response.StatusCode = status;
                context.Response.ContentType = contentType;
                await context.Response.WriteAsync(body);
            });
            await app.StartAsync();
            return receiver;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
