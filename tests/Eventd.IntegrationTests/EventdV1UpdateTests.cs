using System.Net;
using System.Text;
using System.Text.Json;
using Eventd.TestSupport;

namespace Eventd.IntegrationTests;

/// <summary>Update at its four routes, both body shapes, and what a refused update leaves alone.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class EventdV1UpdateTests(SharedClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private EventdCluster Eventd => fixture.Eventd;

    public static TheoryData<string, string> Routes => new()
    {
        { "PATCH", "/eventd/v1/event/{0}" },
        { "PATCH", "/eventd/v1/events/{0}" },
        { "PATCH", "/eventd/v1/update/{0}" },
        { "POST", "/eventd/v1/update/{0}" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Update_with_a_new_delay_reschedules_and_the_new_target_receives_the_fire(string method, string route)
    {
        var oldPath = $"/old/{Guid.NewGuid():N}";
        var newPath = $"/new/{Guid.NewGuid():N}";
        var id = await Eventd.CreateEventAsync(new { delay = 3600, url = Eventd.Receiver.Url(oldPath), data = new { v = 1 } });

        using var response = await SendAsync(method, string.Format(route, id),
            $$$"""{"delay": 1, "webhook": {"url": "{{{Eventd.Receiver.Url(newPath)}}}", "method": "PUT"}, "payload": {"v": 2}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var envelope = await Json(response);
        Assert.Equal(id, envelope.GetProperty("id").GetString());
        Assert.True(envelope.GetProperty("ok").GetBoolean());
        Assert.Equal($"/eventd/v1/update/{id}", envelope.GetProperty("update").GetString());
        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(newPath).Count == 1, Deadline, "the rescheduled fire");
        var request = Eventd.Receiver.ReceivedOn(newPath)[0];
        Assert.Equal("PUT", request.Method);
        Assert.Equal(2, JsonDocument.Parse(request.Body).RootElement.GetProperty("v").GetInt32());
        Assert.Empty(Eventd.Receiver.ReceivedOn(oldPath));
    }

    [Fact]
    public async Task Updates_racing_on_one_event_all_succeed_and_the_last_written_is_one_of_them()
    {
        var id = await Eventd.CreateEventAsync(new { delay = 3600, channel = "racing", data = new { v = -1 } });

        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Patch, $"/eventd/v1/event/{id}")
            {
                Content = new StringContent($$$"""{"data": {"v": {{{i}}}}}""", Encoding.UTF8, "application/json"),
            };
            using var response = await Eventd.Http.SendAsync(request);
            return response.StatusCode;
        }));

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status));
        var v = (await Eventd.ReadEventAsync(id)).GetProperty("data").GetProperty("v").GetInt32();
        Assert.InRange(v, 0, 29);
    }

    [Fact]
    public async Task Update_without_a_new_time_keeps_the_next_fire()
    {
        var id = await Eventd.CreateEventAsync(new { delay = 3600, channel = "keep" });
        var before = await Eventd.ReadEventAsync(id);

        using var response = await SendAsync("PATCH", $"/eventd/v1/events/{id}", """{"data": {"changed": true}, "retries": 7}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await Eventd.ReadEventAsync(id);
        Assert.Equal(before.GetProperty("nextFireAt").GetString(), after.GetProperty("nextFireAt").GetString());
        Assert.True(after.GetProperty("data").GetProperty("changed").GetBoolean());
        Assert.Equal("keep", after.GetProperty("channel").GetString());
    }

    [Fact]
    public async Task Rejected_update_is_400_naming_the_field_and_changes_nothing()
    {
        var id = await Eventd.CreateEventAsync(new { delay = 3600, channel = "unchanged", data = new { a = 1 } });
        var before = (await Eventd.ReadEventAsync(id)).GetRawText();

        using var badDelay = await SendAsync("PATCH", $"/eventd/v1/events/{id}", """{"delay": -5, "data": {"a": 2}}""");
        using var badRepeat = await SendAsync("PATCH", $"/eventd/v1/events/{id}", """{"repeat": true, "delay": 0.2}""");
        using var unknown = await SendAsync("POST", $"/eventd/v1/update/{id}", """{"dealy": 5}""");

        Assert.Equal(HttpStatusCode.BadRequest, badDelay.StatusCode);
        Assert.StartsWith("delay:", (await Json(badDelay)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badRepeat.StatusCode);
        Assert.StartsWith("delay:", (await Json(badRepeat)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.StartsWith("dealy:", (await Json(unknown)).GetProperty("error").GetString());
        Assert.Equal(before, (await Eventd.ReadEventAsync(id)).GetRawText());
    }

    [Fact]
    public async Task Update_of_unknown_event_is_404_and_of_cancelled_event_is_409()
    {
        var id = await Eventd.CreateEventAsync(new { delay = 3600, channel = "gone" });
        using (await Eventd.Http.DeleteAsync($"/eventd/v1/events/{id}"))
        {
        }

        using var cancelled = await SendAsync("PATCH", $"/eventd/v1/events/{id}", """{"delay": 5}""");
        using var unknown = await SendAsync("PATCH", $"/eventd/v1/events/{Guid.NewGuid():N}", """{"delay": 5}""");

        Assert.Equal(HttpStatusCode.Conflict, cancelled.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("cancelled", (await Eventd.ReadEventAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Update_with_a_delay_re_opens_a_delivered_event()
    {
        var path = $"/again/{Guid.NewGuid():N}";
        var id = await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url(path) });
        await Poll.UntilAsync(() => Eventd.ReadEventAsync(id), e => e.GetProperty("status").GetString() == "delivered", Deadline, "first delivery");

        using var response = await SendAsync("PATCH", $"/eventd/v1/events/{id}", """{"delay": 0.5}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count == 2, Deadline, "the second fire");
        Assert.Equal([$"{id}.1", $"{id}.2"], Eventd.Receiver.ReceivedOn(path).Select(r => r.Header("webhook-id")).Order());
        var read = await Poll.UntilAsync(() => Eventd.ReadEventAsync(id), e => e.GetProperty("status").GetString() == "delivered", Deadline, "second delivery");
        Assert.Equal(2, read.GetProperty("fireCount").GetInt32());
    }

    private Task<HttpResponseMessage> SendAsync(string method, string path, string json) =>
        Eventd.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        });

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
