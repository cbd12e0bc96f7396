using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Eventd.TestSupport;
using StackExchange.Redis;

namespace Eventd.IntegrationTests;

/// <summary>
/// A JSON body whose strings are not UTF-8 is bad input (API.md general rules): a 400 naming the field in
/// every family, never a 500, and nothing stored.
/// </summary>
[Collection(SharedClusterCollection.Name)]
public sealed class InvalidTextTests(SharedClusterFixture fixture)
{
    private EventdCluster Eventd => fixture.Eventd;

    /// <summary>The body with each <c>~</c> replaced by the byte 0xFF, which UTF-8 never uses.</summary>
    private static ByteArrayContent WithBadByte(string json)
    {
        var content = new ByteArrayContent([.. Encoding.UTF8.GetBytes(json).Select(b => b == (byte)'~' ? (byte)0xFF : b)]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    [Theory]
    [InlineData("POST", "/eventd/v1/events", """{"channel":"text","data":"a~"}""", "data: not valid UTF-8 text")]
    [InlineData("POST", "/eventd/v1/events", """{"url":"http://127.0.0.1:9/~"}""", "url: not valid UTF-8 text")]
    [InlineData("POST", "/eventd/v1/events", """{"channel":"text","data":{"~":1}}""", "data: a key is not valid UTF-8 text")]
    [InlineData("POST", "/webhook", """{"userid":"~"}""", "userid: not valid UTF-8 text")]
    [InlineData("POST", "/v1/config/projects/text/eventing/triggers/t1", """{"type":"~","url":"http://127.0.0.1:9/x"}""", "type: not valid UTF-8 text")]
    [InlineData("POST", "/v1/api/text/eventing/queue", """{"type":"~"}""", "type: not valid UTF-8 text")]
    public async Task A_string_that_is_not_utf8_is_400_naming_the_field_and_stores_nothing(string method, string path, string body, string error)
    {
        var events = await Eventd.StoredEventCountAsync();
        var stored = await StoredElsewhereAsync();

        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = WithBadByte(body) };
        using var response = await Eventd.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        Assert.Equal(events, await Eventd.StoredEventCountAsync());
        Assert.Equal(stored, await StoredElsewhereAsync());
    }

    /// <summary>What the other families would have stored: webhook registrations, and project "text"'s triggers and queued events.</summary>
    private async Task<(long Hooks, int ProjectKeys)> StoredElsewhereAsync()
    {
        var hooks = await Eventd.RedisDb.SortedSetLengthAsync("{eventd/webhooks/default}/by-creation");
        var projectKeys = (RedisResult[])(await Eventd.RedisDb.ExecuteAsync("KEYS", "*/text/*"))!;
        return (hooks, projectKeys.Length);
    }

    [Fact]
    public async Task An_update_with_a_string_that_is_not_utf8_is_400_and_changes_nothing()
    {
        using var created = await Eventd.Http.PostAsync("/eventd/v1/events", new StringContent("""{"delay":3600,"channel":"text"}""", Encoding.UTF8, "application/json"));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        var before = await Eventd.Http.GetStringAsync($"/eventd/v1/events/{id}");

        using var update = await Eventd.Http.PatchAsync($"/eventd/v1/event/{id}", WithBadByte("""{"data":"~"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, update.StatusCode);
        Assert.Equal("data: not valid UTF-8 text", JsonDocument.Parse(await update.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        Assert.Equal(before, await Eventd.Http.GetStringAsync($"/eventd/v1/events/{id}"));
    }

    [Fact]
    public async Task A_trigger_body_of_json_that_is_not_utf8_is_delivered_as_text()
    {
        var path = $"/text-target/{Guid.NewGuid():N}";
        using var registered = await Eventd.Http.PostAsync("/webhook", new StringContent($$"""{"userid":"u-text","url":"{{Eventd.Receiver.Url(path)}}"}""", Encoding.UTF8, "application/json"));
        var id = JsonDocument.Parse(await registered.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        using var trigger = await Eventd.Http.PostAsync($"/webhook/{id}", WithBadByte("""{"note":"~"}"""));

        Assert.Equal(HttpStatusCode.Created, trigger.StatusCode);
        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count == 1, TimeSpan.FromSeconds(30), "the trigger's delivery");
        var delivered = JsonDocument.Parse(Eventd.Receiver.ReceivedOn(path)[0].Body).RootElement;
        Assert.Equal("{\"note\":\"\uFFFD\"}", delivered.GetProperty("body").GetString());
    }
}
