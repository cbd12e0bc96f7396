using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Eventd.TestSupport;

namespace Eventd.IntegrationTests;

/// <summary>The webhook register (API.md section 4), against the built gateway and silo.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class WebhookRegisterTests(SharedClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private EventdCluster Eventd => fixture.Eventd;

    private async Task<string> RegisterAsync(object body)
    {
        using var response = await Eventd.Http.PostAsJsonAsync("/webhook", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task A_trigger_of_a_hook_with_a_url_delivers_the_user_the_arguments_and_the_body_through_the_delivery_policy()
    {
        var path = $"/hook-target/{Guid.NewGuid():N}";
        var id = await RegisterAsync(new { userid = "u-42", plan = "pro", url = Eventd.Receiver.Url(path), method = "put" });

        using var trigger = await Eventd.Http.PostAsync($"/webhook/{id}", new StringContent("""{"order":7}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, trigger.StatusCode);
        var answer = await JsonAsync(trigger);
        Assert.Equal("web hook triggered", answer.GetProperty("message").GetString());
        Assert.Equal(id, answer.GetProperty("id").GetString());
        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count == 1, Deadline, "the hook's delivery");
        var request = Eventd.Receiver.ReceivedOn(path)[0];
        Assert.Equal("PUT", request.Method);
        Assert.NotNull(request.Header("webhook-signature"));
        var payload = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal(id, payload.GetProperty("id").GetString());
        Assert.Equal("u-42", payload.GetProperty("userid").GetString());
        Assert.Equal("pro", payload.GetProperty("args").GetProperty("plan").GetString());
        Assert.False(payload.GetProperty("args").TryGetProperty("url", out _), "url and method are the hook's, not arguments");
        Assert.Equal(7, payload.GetProperty("body").GetProperty("order").GetInt32());
        Assert.True(payload.GetProperty("triggeredAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow);

        // The gateway logs before it answers, but its output reaches this process through a pipe, in its own time.
        await Poll.UntilAsync(
            () => Eventd.Gateway!.Output.Contains($"Webhook {id} triggered for user u-42", StringComparison.Ordinal), Deadline, "the trigger's log line");
    }

    [Fact]
    public async Task A_form_registration_triggered_by_get_delivers_a_null_body_and_a_text_body_stays_text()
    {
        var path = $"/hook-form/{Guid.NewGuid():N}";
        using var registered = await Eventd.Http.PostAsync("/webhook", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userid"] = "form-user",
            ["source"] = "crm",
            ["url"] = Eventd.Receiver.Url(path),
        }));
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        var id = (await JsonAsync(registered)).GetProperty("id").GetString();

        using var byGet = await Eventd.Http.GetAsync($"/webhook/{id}");
        using var withText = await Eventd.Http.PostAsync($"/webhook/{id}", new StringContent("plain words", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.Created, byGet.StatusCode);
        Assert.Equal(HttpStatusCode.Created, withText.StatusCode);
        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count == 2, Deadline, "both deliveries");
        var bodies = Eventd.Receiver.ReceivedOn(path).Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("body")).ToList();
        Assert.Contains(bodies, b => b.ValueKind == JsonValueKind.Null);
        Assert.Contains(bodies, b => b.ValueKind == JsonValueKind.String && b.GetString() == "plain words");
        Assert.All(Eventd.Receiver.ReceivedOn(path), r => Assert.Equal("POST", r.Method));
    }

    [Fact]
    public async Task The_list_shows_registrations_newest_first_with_their_trigger_counts()
    {
        var user = $"lister-{Guid.NewGuid():N}";
        var first = await RegisterAsync(new { userid = user, n = "1" });
        var second = await RegisterAsync(new { userid = user, n = "2" });
        using (await Eventd.Http.PostAsync($"/webhook/{first}", null))
        using (await Eventd.Http.PostAsync($"/webhook/{first}", null))
        {
        }

        using var listed = await Eventd.Http.GetAsync("/webhook?page=1&pageSize=2");

        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var page = await JsonAsync(listed);
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([second, first], items.Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(2, page.GetProperty("pageSize").GetInt32());
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.True(page.GetProperty("total").GetInt64() >= 2);
        Assert.Equal((page.GetProperty("total").GetInt64() + 1) / 2, page.GetProperty("totalPages").GetInt64());
        var triggered = items[1];
        Assert.Equal(user, triggered.GetProperty("userid").GetString());
        Assert.Equal("1", triggered.GetProperty("args").GetProperty("n").GetString());
        Assert.Equal(2, triggered.GetProperty("triggerCount").GetInt64());
        Assert.NotEqual(JsonValueKind.Null, triggered.GetProperty("lastTriggeredAt").ValueKind);
        Assert.Equal(0, items[0].GetProperty("triggerCount").GetInt64());
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("url").ValueKind);
    }

    [Fact]
    public async Task A_trigger_repeated_with_its_idempotency_key_is_answered_again_and_delivers_once()
    {
        var path = $"/hook-target/{Guid.NewGuid():N}";
        var id = await RegisterAsync(new { userid = "u-once", url = Eventd.Receiver.Url(path) });
        var key = Guid.NewGuid().ToString("N");

        async Task<HttpResponseMessage> TriggerWithKeyAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhook/{id}") { Content = new StringContent("""{"order":8}""", Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", key);
            return await Eventd.Http.SendAsync(request);
        }

        using var first = await TriggerWithKeyAsync();
        using var repeat = await TriggerWithKeyAsync();
        using var other = await Eventd.Http.PostAsync($"/webhook/{id}", new StringContent("""{"order":9}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, repeat.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await repeat.Content.ReadAsStringAsync());
        Assert.Equal("true", Assert.Single(repeat.Headers.GetValues("Idempotent-Replayed")));

        // The trigger without a key delivers too, so once two deliveries arrived, a third would be the repeat's.
        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count >= 2, Deadline, "the two triggers' deliveries");
        using var listed = await Eventd.Http.GetAsync("/webhook?pageSize=100");
        var hook = (await JsonAsync(listed)).GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == id);
        Assert.Equal(2, hook.GetProperty("triggerCount").GetInt64());
        Assert.Equal(2, Eventd.Receiver.ReceivedOn(path).Count);
        Assert.Equal(["8", "9"], Eventd.Receiver.ReceivedOn(path).Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("body").GetProperty("order").GetRawText()).Order());
    }

    [Fact]
    public async Task A_deleted_hook_is_gone_and_unknown_ids_are_404_with_the_documented_error()
    {
        var id = await RegisterAsync(new { userid = "leaving" });

        using var deleted = await Eventd.Http.DeleteAsync($"/webhook/{id}");
        using var again = await Eventd.Http.DeleteAsync($"/webhook/{id}");
        using var trigger = await Eventd.Http.PostAsync($"/webhook/{id}", null);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, trigger.StatusCode);
        Assert.Equal("webhook ID not found", (await JsonAsync(trigger)).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("""{"plan":"pro"}""", "userid: required")]
    [InlineData("""{"userid":""}""", "userid: required")]
    [InlineData("""{"userid":"u","url":"ftp://example.com"}""", "url: must be an absolute http or https URL")]
    [InlineData("""{"userid":"u","url":"https://example.com","method":"TRACE"}""", "method: must be one of GET, POST, PUT, PATCH, DELETE")]
    [InlineData("""{"userid":"u","tags":["a"]}""", "tags: must be a string")]
    [InlineData("""{"userid":"u","userid":"v"}""", "userid: duplicate key")]
    public async Task Bad_registrations_are_400_naming_the_field_and_store_nothing(string body, string error)
    {
        var before = await Eventd.RedisDb.SortedSetLengthAsync("{eventd/webhooks/default}/by-creation");

        using var response = await Eventd.Http.PostAsync("/webhook", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, (await JsonAsync(response)).GetProperty("error").GetString());
        Assert.Equal(before, await Eventd.RedisDb.SortedSetLengthAsync("{eventd/webhooks/default}/by-creation"));
    }

    public static TheoryData<string, string, HttpStatusCode, string> BadForms => new()
    {
        { "multipart/form-data; boundary=x", """{"userid":"u"}""", HttpStatusCode.BadRequest, "body: not a valid form" },
        { "multipart/form-data", "userid=u", HttpStatusCode.BadRequest, "body: not a valid form" },
        { "application/x-www-form-urlencoded", "userid=u&a=%00", HttpStatusCode.BadRequest, "body: not a valid form" },
        { "application/x-www-form-urlencoded", "userid=u&" + string.Join('&', Enumerable.Range(0, 1100).Select(i => $"k{i}=v")), HttpStatusCode.BadRequest, "body: not a valid form" },
        { "application/x-www-form-urlencoded", "userid=u&big=" + new string('a', 1024 * 1024), HttpStatusCode.RequestEntityTooLarge, "body: larger than" },
    };

    [Theory]
    [MemberData(nameof(BadForms))]
    public async Task A_form_that_cannot_be_read_is_a_4xx_naming_the_body_and_registers_nothing(string contentType, string body, HttpStatusCode status, string error)
    {
        var before = await Eventd.RedisDb.SortedSetLengthAsync("{eventd/webhooks/default}/by-creation");
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        using var response = await Eventd.Http.PostAsync("/webhook", content);

        Assert.Equal(status, response.StatusCode);
        Assert.StartsWith(error, (await JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await Eventd.RedisDb.SortedSetLengthAsync("{eventd/webhooks/default}/by-creation"));
    }

    [Fact]
    public async Task A_registration_repeated_with_its_idempotency_key_answers_the_first_id_and_registers_once()
    {
        var key = Guid.NewGuid().ToString("N");
        var before = await Eventd.RedisDb.SortedSetLengthAsync("{eventd/webhooks/default}/by-creation");

        async Task<(HttpStatusCode Status, string? Id)> RegisterWithKeyAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = JsonContent.Create(new { userid = "once" }) };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await Eventd.Http.SendAsync(request);
            return (response.StatusCode, (await JsonAsync(response)).GetProperty("id").GetString());
        }

        var first = await RegisterWithKeyAsync();
        var repeat = await RegisterWithKeyAsync();

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(first, repeat);
        Assert.Equal(before + 1, await Eventd.RedisDb.SortedSetLengthAsync("{eventd/webhooks/default}/by-creation"));
    }

    [Fact]
    public async Task A_page_size_over_100_is_400()
    {
        using var response = await Eventd.Http.GetAsync("/webhook?pageSize=101");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("pageSize:", (await JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
