using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Eventd.TestSupport;

namespace Eventd.IntegrationTests;

/// <summary>Schedules through the HTTP API: time zones, catch-up and overlap fields, pause and resume, batch create.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class ScheduleApiTests(SharedClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private EventdCluster Eventd => fixture.Eventd;

    [Fact]
    public async Task A_cron_in_a_time_zone_is_shown_with_its_policies_and_its_next_fire_is_the_true_utc_instant()
    {
        var id = await Eventd.CreateEventAsync(new { cron = "30 9 * * *", timezone = "Asia/Tokyo", catchup = "all", overlap = "bufferOne", channel = "tz" });

        var read = await Eventd.ReadEventAsync(id);

        Assert.Equal(("Asia/Tokyo", "all", "bufferOne", 0), (read.GetProperty("timezone").GetString(), read.GetProperty("catchup").GetString(), read.GetProperty("overlap").GetString(), read.GetProperty("skippedFires").GetInt32()));
        var next = read.GetProperty("nextFireAt").GetDateTimeOffset();
        Assert.Equal((0, 30, 0), (next.UtcDateTime.Hour, next.UtcDateTime.Minute, next.UtcDateTime.Second)); // 09:30 in Tokyo (UTC+9, no DST)
        Assert.InRange(next - DateTimeOffset.UtcNow, TimeSpan.Zero, TimeSpan.FromDays(1));
        await Eventd.Http.DeleteAsync($"/eventd/v1/events/{id}");
    }

    [Fact]
    public async Task Without_schedule_fields_an_event_reads_with_the_defaults()
    {
        var id = await Eventd.CreateEventAsync(new { delay = 3600, channel = "defaults" });

        var read = await Eventd.ReadEventAsync(id);

        Assert.Equal(JsonValueKind.Null, read.GetProperty("timezone").ValueKind);
        Assert.Equal(("one", "allow"), (read.GetProperty("catchup").GetString(), read.GetProperty("overlap").GetString()));
        await Eventd.Http.DeleteAsync($"/eventd/v1/events/{id}");
    }

    [Theory]
    [InlineData("""{"delay": 60, "timezone": "Europe/Berlin", "channel": "c"}""", "timezone: applies to cron only")]
    [InlineData("""{"cron": "0 9 * * *", "timezone": "Mars/Olympus_Mons", "channel": "c"}""", "timezone: unknown time zone")]
    [InlineData("""{"cron": "0 9 * * *", "timezone": 5, "channel": "c"}""", "timezone:")]
    [InlineData("""{"cron": "0 9 * * *", "timezone": "europe/berlin", "channel": "c"}""", "timezone: unknown time zone")]
    [InlineData("""{"cron": "0 9 * * *", "timezone": "localtime", "channel": "c"}""", "timezone: unknown time zone")]
    [InlineData("""{"delay": 60, "repeat": true, "catchup": "most", "channel": "c"}""", "catchup:")]
    [InlineData("""{"delay": 60, "repeat": true, "overlap": "bufferone", "channel": "c"}""", "overlap:")]
    public async Task Bad_schedule_fields_are_refused_naming_the_field(string body, string error)
    {
        var before = await Eventd.StoredEventCountAsync();

        using var response = await Eventd.Http.PostAsync("/eventd/v1/events", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(error, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(before, await Eventd.StoredEventCountAsync());
    }

    [Fact]
    public async Task A_time_zone_given_to_an_event_without_cron_in_an_update_is_refused_and_changes_nothing()
    {
        var id = await Eventd.CreateEventAsync(new { delay = 3600, channel = "c" });
        var before = await Eventd.ReadEventAsync(id);

        using var response = await Eventd.Http.PatchAsJsonAsync($"/eventd/v1/events/{id}", new { timezone = "Europe/Berlin" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("timezone: applies to cron only", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(before.GetProperty("updatedAt").GetString(), (await Eventd.ReadEventAsync(id)).GetProperty("updatedAt").GetString());
        await Eventd.Http.DeleteAsync($"/eventd/v1/events/{id}");
    }

    [Fact]
    public async Task An_update_giving_only_a_time_zone_moves_the_crons_next_fire_to_that_zone()
    {
        var id = await Eventd.CreateEventAsync(new { cron = "0 * * * *", channel = "c" });

        using var response = await Eventd.Http.PatchAsJsonAsync($"/eventd/v1/events/{id}", new { timezone = "Asia/Kolkata" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var read = await Eventd.ReadEventAsync(id);
        Assert.Equal(("Asia/Kolkata", 30), (read.GetProperty("timezone").GetString(), read.GetProperty("nextFireAt").GetDateTimeOffset().UtcDateTime.Minute));
        await Eventd.Http.DeleteAsync($"/eventd/v1/events/{id}");
    }

    [Fact]
    public async Task A_paused_event_fires_nothing_counts_the_slots_skipped_and_fires_again_after_resume()
    {
        var path = $"/pause-api/{Guid.NewGuid():N}";
        var id = await Eventd.CreateEventAsync(new { delay = 1, repeat = true, url = Eventd.Receiver.Url(path) });
        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count >= 1, Deadline, "the first fire");

        using (var pause = await Eventd.Http.PostAsync($"/eventd/v1/events/{id}/pause", null))
        {
            Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
            Assert.Equal(id, (await pause.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        }

        var pausedAt = DateTimeOffset.UtcNow;
        var paused = await Poll.UntilAsync(() => Eventd.ReadEventAsync(id), e => e.GetProperty("skippedFires").GetInt32() >= 3, Deadline, "three slots skipped while paused");
        Assert.Equal("paused", paused.GetProperty("status").GetString());
        Assert.True(paused.GetProperty("nextFireAt").GetDateTimeOffset() > pausedAt, "nextFireAt shows the next slot");
        using (var again = await Eventd.Http.PostAsync($"/eventd/v1/events/{id}/pause", null))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        var listed = await Eventd.Http.GetFromJsonAsync<JsonElement>($"/eventd/v1/events?status=paused&q={path}");
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), item => item.GetProperty("id").GetString() == id);

        using (var resume = await Eventd.Http.PostAsync($"/eventd/v1/events/{id}/resume", null))
        {
            Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        }

        var resumedAt = DateTimeOffset.UtcNow;
        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Any(r => r.At > resumedAt), Deadline, "a fire after resume");
        await Eventd.Http.DeleteAsync($"/eventd/v1/events/{id}");

        Assert.DoesNotContain(Eventd.Receiver.ReceivedOn(path), r => r.At > pausedAt.AddMilliseconds(100) && r.At < resumedAt);
        var seqs = Eventd.Receiver.ReceivedOn(path).Select(r => r.Header("webhook-id")).ToList();
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
        Assert.True((await Eventd.ReadEventAsync(id)).GetProperty("skippedFires").GetInt32() >= paused.GetProperty("skippedFires").GetInt32());
    }

    [Fact]
    public async Task Pause_and_resume_answer_404_for_an_unknown_event_and_409_for_a_cancelled_one()
    {
        var id = await Eventd.CreateEventAsync(new { delay = 3600, channel = "c" });
        await Eventd.Http.DeleteAsync($"/eventd/v1/events/{id}");

        foreach (var verb in new[] { "pause", "resume" })
        {
            using var unknown = await Eventd.Http.PostAsync($"/eventd/v1/events/{Guid.NewGuid():N}/{verb}", null);
            using var cancelled = await Eventd.Http.PostAsync($"/eventd/v1/events/{id}/{verb}", null);
            Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.Conflict), (unknown.StatusCode, cancelled.StatusCode));
        }
    }

    [Fact]
    public async Task Overlap_skip_fires_no_slot_while_the_receiver_keeps_failing()
    {
        var path = $"/overlap-api/{Guid.NewGuid():N}";
        Eventd.Receiver.Respond = (_, r) => r.Path == path ? (500, null) : (200, null);
        Eventd.Receiver.Hold = r => r.Path == path ? TimeSpan.FromSeconds(2.5) : TimeSpan.Zero;
        try
        {
            // Each attempt is held past its 2-s timeout, then retried: a fire fails for over 4 s, across several 1-s slots.
            var id = await Eventd.CreateEventAsync(new { delay = 1, repeat = true, overlap = "skip", retries = 1, timeout = 2000, url = Eventd.Receiver.Url(path) });
            var read = await Poll.UntilAsync(() => Eventd.ReadEventAsync(id), e => e.GetProperty("skippedFires").GetInt32() >= 3, Deadline, "slots skipped while a fire retries");
            await Eventd.Http.DeleteAsync($"/eventd/v1/events/{id}");

            var fires = Eventd.Receiver.ReceivedOn(path).Select(r => r.Header("webhook-id")).Distinct().Count();
            Assert.Equal(1, read.GetProperty("fireCount").GetInt32());
            Assert.Equal(1, fires);
        }
        finally
        {
            Eventd.Receiver.Respond = null;
            Eventd.Receiver.Hold = null;
        }
    }

    [Fact]
    public async Task A_batch_creates_each_good_item_and_refuses_the_bad_one_by_its_index()
    {
        var path = $"/batch/{Guid.NewGuid():N}";
        var before = await Eventd.StoredEventCountAsync();
        var batch = new
        {
            events = new object[]
            {
                new { url = Eventd.Receiver.Url(path), data = new { n = 0 } },
                new { url = Eventd.Receiver.Url(path), delay = -1 },
                new { url = Eventd.Receiver.Url(path), data = new { n = 2 } },
            },
        };

        using var response = await Eventd.Http.PostAsJsonAsync("/eventd/v1/events/batch", batch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([true, false, true], results.Select(r => r.GetProperty("ok").GetBoolean()));
        Assert.Equal("events[1].delay: must be >= 0", results[1].GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, results[1].GetProperty("id").ValueKind);
        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count >= 2, Deadline, "the two good items delivered");
        Assert.Equal(
            new[] { results[0].GetProperty("id").GetString() + ".1", results[2].GetProperty("id").GetString() + ".1" }.Order(),
            Eventd.Receiver.ReceivedOn(path).Select(r => r.Header("webhook-id")).Order());
        Assert.Equal(before + 2, await Eventd.StoredEventCountAsync());
    }

    [Fact]
    public async Task A_batch_run_again_under_its_key_creates_nothing_new()
    {
        var before = await Eventd.StoredEventCountAsync();
        var key = Guid.NewGuid().ToString("N");
        var body = JsonSerializer.Serialize(new { events = Enumerable.Range(0, 50).Select(i => new { delay = 3600, channel = "batch", data = new { i } }) });

        var first = await SendBatchAsync(body, key);
        var again = await SendBatchAsync(body, key);

        Assert.Equal(first, again);
        Assert.Equal(50, first.Distinct().Count());
        Assert.Equal(before + 50, await Eventd.StoredEventCountAsync());
    }

    [Theory]
    [InlineData("""{"events": []}""", "events: must hold 1 to")]
    [InlineData("""{"events": {}}""", "events: required")]
    [InlineData("""{"event": []}""", "event: unknown field")]
    public async Task A_batch_that_is_not_a_list_of_one_or_more_events_is_refused(string body, string error)
    {
        using var response = await Eventd.Http.PostAsync("/eventd/v1/events/batch", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(error, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_schedule_fields_and_the_new_routes()
    {
        var document = await Eventd.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");

        var body = paths.GetProperty("/eventd/v1/events").GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var schema = body.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : body;
        var properties = schema.GetProperty("properties");
        Assert.All(new[] { "timezone", "catchup", "overlap", "cron", "delay" }, name => Assert.True(properties.TryGetProperty(name, out _), name));
        Assert.All(
            new[] { "/eventd/v1/events/batch", "/eventd/v1/events/{id}/pause", "/eventd/v1/events/{id}/resume" },
            path => Assert.True(paths.GetProperty(path).TryGetProperty("post", out _), path));
    }

    [Fact]
    public async Task The_batch_route_answers_other_methods_405()
    {
        using var response = await Eventd.Http.GetAsync("/eventd/v1/events/batch");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    private async Task<List<string?>> SendBatchAsync(string body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/eventd/v1/events/batch") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await Eventd.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString())];
    }
}
