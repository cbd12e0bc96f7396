using System.Text.Json;
using Eventd.Gateway.SpaceCloud;
using Eventd.Grains.Interfaces;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>What the Space Cloud eventing routes take, and the CloudEvent body each trigger receives.</summary>
public class SpaceCloudRequestTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 4, 30, 0, TimeSpan.Zero);

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private static QueueRequest Queue(string body) => SpaceCloudRequests.ParseQueue(Json(body), Now).Request!;

    private static string? QueueError(string body) => SpaceCloudRequests.ParseQueue(Json(body), Now).Error;

    [Fact]
    public void A_trigger_takes_its_name_from_the_route_and_defaults_to_3_retries_and_5000_ms()
    {
        var (trigger, error) = SpaceCloudRequests.ParseTrigger("mail-sent_1", Json("""{"type":"sent-email","url":"https://example.com/h"}"""));

        Assert.Null(error);
        Assert.Equal(new SpaceCloudTrigger("mail-sent_1", "sent-email", "https://example.com/h", 3, 5000), trigger);
    }

    [Fact]
    public void A_trigger_posted_back_as_listed_with_its_id_is_taken()
    {
        var (trigger, error) = SpaceCloudRequests.ParseTrigger("mail", Json("""{"id":"mail","type":"sent-email","url":"https://example.com/h","retries":2,"timeout":900}"""));

        Assert.Null(error);
        Assert.Equal(new SpaceCloudTrigger("mail", "sent-email", "https://example.com/h", 2, 900), trigger);
    }

    [Fact]
    public void A_trigger_s_whole_numbers_may_be_written_with_a_fraction()
    {
        var (trigger, error) = SpaceCloudRequests.ParseTrigger("mail", Json("""{"type":"t","url":"https://example.com/h","retries":2.0,"timeout":900.0}"""));

        Assert.Null(error);
        Assert.Equal((2, 900), (trigger!.Retries, trigger.Timeout));
    }

    [Fact]
    public void A_space_cloud_client_s_payload_is_the_data_and_its_options_are_ignored()
    {
        var queued = Queue("""{"type":"sent-email","payload":{"to": "a@b.c"},"options":{"col":"users"}}""");

        Assert.Equal("""{"to": "a@b.c"}""", queued.Data);
    }

    [Theory]
    [InlineData("-bad", """{"type":"t","url":"https://e.com"}""", "name: must be 1 to 64 letters, digits, '_' or '-', starting with a letter or digit")]
    [InlineData("ok\n", """{"type":"t","url":"https://e.com"}""", "name: must be 1 to 64 letters, digits, '_' or '-', starting with a letter or digit")]
    [InlineData("ok", """{"url":"https://e.com"}""", "type: required")]
    [InlineData("ok", """{"type":"","url":"https://e.com"}""", "type: must be a non-empty string")]
    [InlineData("ok", """{"type":5,"url":"https://e.com"}""", "type: must be a non-empty string")]
    [InlineData("ok", """{"type":"t"}""", "url: required")]
    [InlineData("ok", """{"type":"t","url":"ftp://e.com"}""", "url: must be an absolute http or https URL")]
    [InlineData("ok", """{"type":"t","url":"https://e.com","retries":101}""", "retries: must be an integer from 0 to 100")]
    [InlineData("ok", """{"type":"t","url":"https://e.com","retries":1.5}""", "retries: must be an integer from 0 to 100")]
    [InlineData("ok", """{"type":"t","url":"https://e.com","timeout":99}""", "timeout: must be an integer from 100 to 60000")]
    [InlineData("ok", """{"type":"t","url":"https://e.com","tmeout":500,"x":1}""", "tmeout, x: unknown fields")]
    [InlineData("ok", """{"id":"other","type":"t","url":"https://e.com"}""", "id: must be the trigger's name in the path, ok")]
    public void A_bad_trigger_is_refused_naming_the_field(string name, string body, string error) =>
        Assert.Equal(error, SpaceCloudRequests.ParseTrigger(name, Json(body)).Error);

    [Fact]
    public void A_name_of_64_characters_is_the_longest_taken()
    {
        Assert.Null(SpaceCloudRequests.CheckName(new string('a', 64)));
        Assert.NotNull(SpaceCloudRequests.CheckName(new string('a', 65)));
    }

    [Fact]
    public void A_queued_event_is_due_at_its_timestamp_plus_its_delay_and_keeps_its_data_as_given()
    {
        var queued = Queue("""{"type":"sent-email","delay":1.5,"timestamp":1800000000000,"data":{"to": "a@b.c"}}""");

        Assert.Equal("sent-email", queued.Type);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_001_500), queued.DueAt);
        Assert.Equal("""{"to": "a@b.c"}""", queued.Data);
        Assert.False(queued.IsSynchronous);
    }

    [Fact]
    public void A_timestamp_below_1e11_is_seconds_and_a_string_is_iso_8601_and_without_one_the_base_is_now()
    {
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), Queue("""{"type":"t","timestamp":1800000000}""").DueAt);
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), Queue("""{"type":"t","timestamp":"2027-01-01T00:00:00Z"}""").DueAt);
        Assert.Equal(Now.AddSeconds(2), Queue("""{"type":"t","delay":2}""").DueAt);
        Assert.Null(Queue("""{"type":"t","data":null}""").Data);
    }

    [Theory]
    [InlineData("""{"delay":1}""", "type: required")]
    [InlineData("""{"type":"t","delay":-1}""", "delay: must be a number of seconds >= 0")]
    [InlineData("""{"type":"t","delay":"5"}""", "delay: must be a number of seconds >= 0")]
    [InlineData("""{"type":"t","timestamp":"01/02/2030"}""", "timestamp: must be milliseconds since the epoch (seconds below 1e11) or an ISO 8601 string")]
    [InlineData("""{"type":"t","timestamp":"2040-01-01T00:00:00Z"}""", "timestamp: the event must be due within 10 years")]
    [InlineData("""{"type":"t","delay":1e300}""", "delay: the event must be due within 10 years")]
    [InlineData("""{"type":"t","isSynchronous":"yes"}""", "isSynchronous: must be true or false")]
    [InlineData("""{"type":"t","data":{},"payload":{}}""", "payload: give data or payload, not both")]
    [InlineData("""{"type":"t","dta":{}}""", "dta: unknown field")]
    public void A_bad_queue_body_is_refused_naming_the_field(string body, string error) =>
        Assert.Equal(error, QueueError(body));

    [Theory]
    [InlineData("""{"type":"t","isSynchronous":true}""", 1, null)]
    [InlineData("""{"type":"t","isSynchronous":true}""", 2, "type: a synchronous event needs exactly one trigger of type 't', the project has 2")]
    [InlineData("""{"type":"t","isSynchronous":true}""", 0, "type: a synchronous event needs exactly one trigger of type 't', the project has 0")]
    [InlineData("""{"type":"t","isSynchronous":true,"delay":0.1}""", 1, "delay: must be 0 for a synchronous event")]
    [InlineData("""{"type":"t","isSynchronous":true,"timestamp":"2030-01-01T00:00:00Z"}""", 1, "timestamp: must not be in the future for a synchronous event")]
    [InlineData("""{"type":"t","isSynchronous":true,"timestamp":"2020-01-01T00:00:00Z"}""", 1, null)]
    public void A_synchronous_event_needs_one_trigger_and_must_be_due_now(string body, int triggers, string? error) =>
        Assert.Equal(error, SpaceCloudRequests.CheckSynchronous(Queue(body), triggers, Now));

    [Fact]
    public void The_cloud_event_body_has_exactly_the_fields_API_md_writes()
    {
        var body = Json(CloudEventBody.For("0123456789abcdef0123456789abcdef", "sent-email", "eventd/shop", Now, """{"to":"a@b.c"}"""));

        Assert.Equal(["specversion", "id", "type", "source", "time", "data"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("1.0", body.GetProperty("specversion").GetString());
        Assert.Equal("0123456789abcdef0123456789abcdef", body.GetProperty("id").GetString());
        Assert.Equal("sent-email", body.GetProperty("type").GetString());
        Assert.Equal("eventd/shop", body.GetProperty("source").GetString());
        Assert.Equal("2026-11-23T04:30:00Z", body.GetProperty("time").GetString());
        Assert.Equal("a@b.c", body.GetProperty("data").GetProperty("to").GetString());
    }

    [Fact]
    public void A_cloud_event_without_data_carries_data_null() =>
        Assert.Equal(JsonValueKind.Null, Json(CloudEventBody.For("id", "t", "c/p", Now, null)).GetProperty("data").ValueKind);

    [Theory]
    [InlineData(new string[0], "delivered")]
    [InlineData(new[] { "delivered", "delivered" }, "delivered")]
    [InlineData(new[] { "delivered", "failed" }, "failed")]
    [InlineData(new[] { "cancelled", "delivered" }, "failed")]
    [InlineData(new[] { "failed", "delivering" }, "delivering")]
    [InlineData(new[] { "failed", "scheduled" }, "scheduled")]
    [InlineData(new[] { "delivered", "scheduled", "delivering" }, "delivering")]
    public void A_queued_events_status_sums_up_its_deliveries(string[] deliveries, string status) =>
        Assert.Equal(status, QueuedEventStatus.Of(deliveries));
}
