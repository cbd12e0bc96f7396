using System.Text.Json;
using Eventd.Gateway.EventLog;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>What the event-log routes take (API.md section 5): each refusal names the field first.</summary>
public class EventLogRequestTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public void An_emit_keeps_its_name_and_payload_as_given()
    {
        var (emit, error) = EventLogRequests.ParseEmit(Json("""{"event": "User.SignUp", "payload": {"id": 7, "big": 12345678901234567890}}"""));

        Assert.Null(error);
        Assert.Equal("User.SignUp", emit!.EventName);
        Assert.Equal("""{"id": 7, "big": 12345678901234567890}""", emit.Payload.GetRawText());
    }

    [Theory]
    [InlineData("""{"event": "e"}""")]
    [InlineData("""{"event": "e", "payload": null}""")]
    public void An_emit_without_a_payload_has_an_empty_object(string body) =>
        Assert.Equal("{}", EventLogRequests.ParseEmit(Json(body)).Request!.Payload.GetRawText());

    [Theory]
    [InlineData("""{}""", "event: required")]
    [InlineData("""{"event": ""}""", "event: must be a non-empty string")]
    [InlineData("""{"event": "   "}""", "event: must be a non-empty string")]
    [InlineData("""{"event": 5}""", "event: must be a string")]
    [InlineData("""{"event": "e", "payload": [1]}""", "payload: must be a JSON object")]
    [InlineData("""{"event": "e", "payload": "text"}""", "payload: must be a JSON object")]
    [InlineData("""{"event": "e", "data": {}, "x": 1}""", "data, x: unknown fields")]
    [InlineData("""{"evnt": "e"}""", "evnt: unknown field")]
    public void A_bad_emit_is_refused_naming_the_field(string body, string error) =>
        Assert.Equal(error, EventLogRequests.ParseEmit(Json(body)).Error);

    [Fact]
    public void An_event_name_of_200_characters_is_the_longest_taken()
    {
        Assert.Null(EventLogRequests.ParseEmit(Json($$"""{"event": "{{new string('e', 200)}}"}""")).Error);
        Assert.Equal("event: must be at most 200 characters", EventLogRequests.ParseEmit(Json($$"""{"event": "{{new string('e', 201)}}"}""")).Error);
    }

    [Fact]
    public void An_empty_query_keeps_everything_ten_to_a_page() =>
        Assert.Equal(new EventQuery(null, null, null, null, 1, 10), EventLogRequests.ParseQuery(Json("{}")).Query);

    [Fact]
    public void A_query_reads_every_field()
    {
        var query = EventLogRequests.ParseQuery(Json("""
            {"eventName": "signup", "txKey": "mailer", "txState": "does-not-exist", "since": 1800000000000, "page": 3, "pageSize": 100}
            """)).Query;

        Assert.Equal(new EventQuery("signup", DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000), "mailer", "does-not-exist", 3, 100), query);
    }

    [Theory]
    [InlineData("1800000000", 1_800_000_000_000)]
    [InlineData("\"2027-01-15T08:00:00Z\"", 1_800_000_000_000)]
    [InlineData("\"2027-01-15T09:00:00+01:00\"", 1_800_000_000_000)]
    public void A_query_since_is_a_client_time(string since, long expectedMs) =>
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(expectedMs), EventLogRequests.ParseQuery(Json($$"""{"since": {{since}}}""")).Query!.Since);

    [Theory]
    [InlineData("""{"platform": "Web", "label": "App", "eventName": "SignUp"}""", "web.app.signup")]
    [InlineData("""{"platform": "Web", "eventName": "SignUp"}""", "web.signup")]
    [InlineData("""{"label": "App", "eventName": "SignUp"}""", "app.signup")]
    [InlineData("""{"eventName": "SignUp"}""", "SignUp")]
    [InlineData("""{"eventName": "", "platform": "", "label": ""}""", null)]
    public void Platform_or_label_make_the_name_filter_the_full_name_and_without_them_the_name_is_exact(string body, string? name) =>
        Assert.Equal(name, EventLogRequests.ParseQuery(Json(body)).Query!.Name);

    [Theory]
    [InlineData("""{"pageSize": 101}""", "pageSize: must be an integer from 1 to 100")]
    [InlineData("""{"pageSize": 0}""", "pageSize: must be an integer from 1 to 100")]
    [InlineData("""{"pageSize": "10"}""", "pageSize: must be an integer from 1 to 100")]
    [InlineData("""{"page": 0}""", "page: must be an integer >= 1")]
    [InlineData("""{"page": 1.5}""", "page: must be an integer >= 1")]
    [InlineData("""{"since": "yesterday"}""", "since: must be milliseconds since the epoch (seconds below 1e11) or an ISO 8601 string")]
    [InlineData("""{"since": -1}""", "since: must be milliseconds since the epoch (seconds below 1e11) or an ISO 8601 string")]
    [InlineData("""{"txState": "finished"}""", "txState: needs a txKey")]
    [InlineData("""{"txKey": "t", "txState": "done"}""", "txState: must be one of processing, finished, failed, does-not-exist")]
    [InlineData("""{"eventName": 7}""", "eventName: must be a string")]
    [InlineData("""{"label": ["a"]}""", "label: must be a string")]
    [InlineData("""{"eventname": "e"}""", "eventname: unknown field")]
    public void A_bad_query_is_refused_naming_the_field(string body, string error) =>
        Assert.Equal(error, EventLogRequests.ParseQuery(Json(body)).Error);

    [Fact]
    public void An_init_needs_a_key_and_a_txKey()
    {
        Assert.Equal(new InitRequest("k", "mailer"), EventLogRequests.ParseInit(Json("""{"key": "k", "txKey": "mailer"}""")).Request);
        Assert.Equal("key: required", EventLogRequests.ParseInit(Json("""{"txKey": "mailer"}""")).Error);
        Assert.Equal("txKey: required", EventLogRequests.ParseInit(Json("""{"key": "k"}""")).Error);
        Assert.Equal("txKey: must be a non-empty string", EventLogRequests.ParseInit(Json("""{"key": "k", "txKey": ""}""")).Error);
        Assert.Equal("txKey: must be at most 200 characters", EventLogRequests.ParseInit(Json($$"""{"key": "k", "txKey": "{{new string('t', 201)}}"}""")).Error);
    }

    [Fact]
    public void A_transact_takes_any_output_and_closes_as_finished_or_failed()
    {
        var transact = EventLogRequests.ParseTransact(Json("""{"key": "k", "txKey": "t", "state": "failed", "output": [1, "two"]}""")).Request!;

        Assert.Equal(("k", "t", "failed", """[1, "two"]"""), (transact.Key, transact.TxKey, transact.State, transact.Output!.Value.GetRawText()));
        Assert.Null(EventLogRequests.ParseTransact(Json("""{"key": "k", "txKey": "t", "state": "finished"}""")).Request!.Output);
    }

    [Theory]
    [InlineData("""{"key": "k", "txKey": "t"}""", "state: required")]
    [InlineData("""{"key": "k", "txKey": "t", "state": "processing"}""", "state: must be one of finished, failed")]
    [InlineData("""{"key": "k", "txKey": "t", "state": "finished", "result": 1}""", "result: unknown field")]
    public void A_bad_transact_is_refused_naming_the_field(string body, string error) =>
        Assert.Equal(error, EventLogRequests.ParseTransact(Json(body)).Error);

    [Fact]
    public void An_update_sets_any_transaction_state_and_may_name_the_event()
    {
        Assert.Equal(new UpdateRequest("k", "signup", "t", "processing"), EventLogRequests.ParseUpdate(Json("""{"key": "k", "eventName": "signup", "txKey": "t", "txState": "processing"}""")).Request);
        Assert.Equal(new UpdateRequest("k", null, "t", "failed"), EventLogRequests.ParseUpdate(Json("""{"key": "k", "txKey": "t", "txState": "failed"}""")).Request);
    }

    [Theory]
    [InlineData("""{"key": "k", "txKey": "t"}""", "txState: required")]
    [InlineData("""{"key": "k", "txKey": "t", "txState": "does-not-exist"}""", "txState: must be one of processing, finished, failed")]
    [InlineData("""{"key": "k", "txState": "failed"}""", "txKey: required")]
    [InlineData("""{"txKey": "t", "txState": "failed"}""", "key: required")]
    [InlineData("""{"key": 1, "txKey": "t", "txState": "failed"}""", "key: must be a string")]
    [InlineData("""{"key": "k", "eventName": true, "txKey": "t", "txState": "failed"}""", "eventName: must be a string")]
    public void A_bad_update_is_refused_naming_the_field(string body, string error) =>
        Assert.Equal(error, EventLogRequests.ParseUpdate(Json(body)).Error);

    [Theory]
    [InlineData("""{"eventName": "SignUp", "platform": "Web", "label": "App"}""", "web.app.signup", null)]
    [InlineData("""{"eventName": "SignUp", "label": ""}""", "signup", null)]
    [InlineData("""{"platform": "Web"}""", null, "eventName: required")]
    [InlineData("""{"eventName": "e", "platform": 1}""", null, "platform: must be a string")]
    public void The_full_name_route_needs_an_event_name(string body, string? fullName, string? error) =>
        Assert.Equal((fullName, error), EventLogRequests.ParseFullName(Json(body)));
}
