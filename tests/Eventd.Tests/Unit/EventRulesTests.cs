using Eventd.Grains.Events;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Options;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>The rules of an Eventd v1 create body that span fields, and the event it becomes.</summary>
public class EventRulesTests
{
    private const string Url = "\"url\": \"https://example.com/hook\"";

    [Fact]
    public void Body_without_url_or_channel_is_rejected_naming_url()
    {
        Assert.StartsWith("url:", V1Bodies.Refused("""{"delay": 5}"""));
    }

    [Fact]
    public void Empty_body_is_rejected_naming_url()
    {
        Assert.StartsWith("url:", V1Bodies.Refused("{}"));
    }

    [Fact]
    public void Method_without_a_url_is_rejected_naming_url()
    {
        Assert.StartsWith("url:", V1Bodies.Refused("""{"channel": "orders", "method": "PUT"}"""));
    }

    [Fact]
    public void Channel_alone_is_enough_and_has_no_webhook()
    {
        var spec = V1Bodies.Accepted("""{"channel": "orders"}""");

        Assert.Equal("orders", spec.Channel);
        Assert.Null(spec.Webhook);
    }

    [Fact]
    public void Url_and_channel_may_both_be_given()
    {
        var spec = V1Bodies.Accepted($$"""{{{Url}}, "channel": "orders"}""");

        Assert.Equal("orders", spec.Channel);
        Assert.Equal("https://example.com/hook", spec.Webhook!.Url);
    }

    [Theory]
    [InlineData("\"repeat\": true")]
    [InlineData("\"repeat\": true, \"delay\": 0")]
    [InlineData("\"repeat\": true, \"delay\": 0.999")]
    [InlineData("\"repeat\": 2, \"delay\": 0.5")]
    [InlineData("\"repeat\": 10")]
    public void Repeating_event_with_delay_below_one_second_is_rejected_naming_delay(string schedule)
    {
        Assert.Equal("delay: must be >= 1 for a repeating event", V1Bodies.Refused($$"""{{{Url}}, {{schedule}}}"""));
    }

    [Theory]
    [InlineData("\"repeat\": true, \"delay\": 1", RepeatMode.Forever, 1)]
    [InlineData("\"repeat\": 2, \"delay\": 1", RepeatMode.Times, 2)]
    [InlineData("\"repeat\": 1, \"delay\": 0", RepeatMode.Times, 1)]
    [InlineData("\"repeat\": false, \"delay\": 0", RepeatMode.Once, 1)]
    public void Repeat_rules_accept_what_the_contract_allows(string schedule, RepeatMode mode, int times)
    {
        var spec = V1Bodies.Accepted($$"""{{{Url}}, {{schedule}}}""");

        Assert.Equal(mode, spec.Schedule.Repeat);
        Assert.Equal(times, spec.Schedule.Times);
    }

    [Theory]
    [InlineData("not a cron")]
    [InlineData("0 */5 * * * *")]
    [InlineData("* * * *")]
    [InlineData("61 * * * *")]
    [InlineData("* 25 * * *")]
    [InlineData("")]
    public void Cron_that_is_not_five_valid_fields_is_rejected_naming_the_field(string cron)
    {
        Assert.StartsWith("cron:", V1Bodies.Refused($$"""{{{Url}}, "cron": "{{cron}}"}"""));
    }

    [Theory]
    [InlineData("\"delay\": 5")]
    [InlineData("\"repeat\": true, \"delay\": 60")]
    [InlineData("\"repeat\": 3, \"delay\": 60")]
    [InlineData("\"repeat\": 1")]
    [InlineData("\"repeat\": true")]
    public void Cron_combined_with_delay_or_repeat_is_rejected_naming_cron(string schedule)
    {
        Assert.Equal(
            "cron: replaces delay and repeat; give one or the other",
            V1Bodies.Refused($$"""{{{Url}}, "cron": "*/15 * * * *", {{schedule}}}"""));
    }

    [Fact]
    public void Cron_first_fire_is_its_next_occurrence()
    {
        // Now is 12:00:00 exactly, an occurrence of every quarter hour, so it is the first fire.
        var spec = V1Bodies.Accepted($$"""{{{Url}}, "cron": "*/15 * * * *", "delay": 0, "repeat": false}""");

        Assert.Equal("*/15 * * * *", spec.Schedule.Cron);
        Assert.Equal(V1Bodies.Now, spec.Schedule.FirstDueAt);
    }

    [Fact]
    public void Cron_first_fire_after_now_when_now_is_not_an_occurrence()
    {
        var spec = V1Bodies.Accepted($$"""{{{Url}}, "cron": "30 14 * * *"}""");

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 14, 30, 0, TimeSpan.Zero), spec.Schedule.FirstDueAt);
    }

    [Fact]
    public void Delay_beyond_ten_years_is_rejected_naming_delay()
    {
        var seconds = TimeSpan.FromDays(3653).TotalSeconds + 1;

        Assert.Equal(
            "delay: the first fire must be due within 10 years",
            V1Bodies.Refused($$"""{{{Url}}, "delay": {{seconds}}}"""));
    }

    [Fact]
    public void Delay_just_under_ten_years_is_accepted()
    {
        var seconds = TimeSpan.FromDays(3650).TotalSeconds;

        Assert.Equal(V1Bodies.Now.AddDays(3650), V1Bodies.Accepted($$"""{{{Url}}, "delay": {{seconds}}}""").Schedule.FirstDueAt);
    }

    [Fact]
    public void Timestamp_beyond_ten_years_is_rejected_naming_timestamp()
    {
        var error = V1Bodies.Refused($$"""{{{Url}}, "timestamp": "2037-03-02T00:00:00Z"}""");

        Assert.Equal("timestamp: the first fire must be due within 10 years", error);
    }

    [Fact]
    public void Timestamp_plus_delay_beyond_ten_years_is_rejected()
    {
        var error = V1Bodies.Refused($$"""{{{Url}}, "timestamp": "2036-02-27T00:00:00Z", "delay": 864000}""");

        Assert.StartsWith("timestamp:", error);
    }

    [Fact]
    public void Cron_starting_beyond_ten_years_is_rejected_naming_timestamp()
    {
        var error = V1Bodies.Refused($$"""{{{Url}}, "cron": "* * * * *", "timestamp": "2999-01-01T00:00:00Z"}""");

        Assert.StartsWith("timestamp:", error);
    }

    [Fact]
    public void First_due_is_timestamp_plus_delay()
    {
        var spec = V1Bodies.Accepted($$"""{{{Url}}, "timestamp": 1893456000000, "delay": 90}""");

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_893_456_000_000), spec.Schedule.Timestamp);
        Assert.Equal(90, spec.Schedule.DelaySeconds);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 1, 30, TimeSpan.Zero), spec.Schedule.FirstDueAt);
    }

    [Fact]
    public void Timestamp_in_seconds_and_in_iso_8601_give_the_same_first_due()
    {
        var seconds = V1Bodies.Accepted($$"""{{{Url}}, "timestamp": 1893456000, "delay": 1.5}""");
        var iso = V1Bodies.Accepted($$"""{{{Url}}, "timestamp": "2030-01-01T02:00:00+02:00", "delay": 1.5}""");

        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 1, 500, TimeSpan.Zero), seconds.Schedule.FirstDueAt);
        Assert.Equal(seconds.Schedule.FirstDueAt, iso.Schedule.FirstDueAt);
    }

    [Fact]
    public void Without_timestamp_first_due_is_now_plus_delay()
    {
        var spec = V1Bodies.Accepted($$"""{{{Url}}, "delay": 5}""");

        Assert.Null(spec.Schedule.Timestamp);
        Assert.Equal(V1Bodies.Now.AddSeconds(5), spec.Schedule.FirstDueAt);
    }

    [Fact]
    public void Without_delay_first_due_is_now()
    {
        Assert.Equal(V1Bodies.Now, V1Bodies.Accepted($$"""{{{Url}}}""").Schedule.FirstDueAt);
    }

    [Fact]
    public void Delivery_defaults_apply_when_retries_timeout_and_method_are_absent()
    {
        var defaults = new DeliveryOptions { DefaultRetries = 7, DefaultTimeoutMs = 1234 };

        var webhook = V1Bodies.Accepted($$"""{{{Url}}}""", defaults).Webhook!;

        Assert.Equal(7, webhook.Retries);
        Assert.Equal(1234, webhook.TimeoutMs);
        Assert.Equal("POST", webhook.Method);
        Assert.Empty(webhook.Headers);
    }

    [Fact]
    public void Given_retries_and_timeout_override_the_defaults()
    {
        var defaults = new DeliveryOptions { DefaultRetries = 7, DefaultTimeoutMs = 1234 };

        var webhook = V1Bodies.Accepted($$"""{{{Url}}, "retries": 0, "timeout": 250}""", defaults).Webhook!;

        Assert.Equal(0, webhook.Retries);
        Assert.Equal(250, webhook.TimeoutMs);
    }

    [Fact]
    public void Project_and_data_are_carried_into_the_spec()
    {
        var (spec, error) = V1Bodies.Create("""{"url": "https://example.com/hook", "payload": {"n": 1}}""", project: "shop");

        Assert.Null(error);
        Assert.Equal("shop", spec!.Project);
        Assert.Equal("""{"n": 1}""", spec.Data);
    }

    [Fact]
    public void Absent_data_leaves_the_payload_null()
    {
        Assert.Null(V1Bodies.Accepted($$"""{{{Url}}}""").Data);
    }

    [Fact]
    public void Flat_and_nested_webhook_shapes_give_the_same_spec()
    {
        var flat = V1Bodies.Accepted("""
            {"url": "https://example.com/hook", "method": "put", "headers": {"X-Trace": "abc"},
             "delay": 30, "repeat": 3, "data": {"a": 1}, "retries": 5, "timeout": 2000}
            """);
        var nested = V1Bodies.Accepted("""
            {"webhook": {"url": "https://example.com/hook", "method": "PUT", "headers": {"X-Trace": "abc"}},
             "delay": 30, "repeat": 3, "payload": {"a": 1}, "retries": 5, "timeout": 2000}
            """);

        Assert.Equal("PUT", flat.Webhook!.Method);
        Assert.Equal(flat.Webhook.Headers.OrderBy(h => h.Key), nested.Webhook!.Headers.OrderBy(h => h.Key));
        // Headers are compared above; the records compare their dictionaries by reference.
        Assert.Equal(flat with { Webhook = flat.Webhook with { Headers = nested.Webhook.Headers } }, nested);
        Assert.Equal(V1Bodies.Now.AddSeconds(30), nested.Schedule.FirstDueAt);
    }

    [Fact]
    public void An_update_with_a_new_delay_alone_counts_from_now_not_from_a_stored_timestamp()
    {
        var stored = V1Bodies.Accepted($$"""{"channel": "c", "timestamp": {{V1Bodies.Now.AddHours(2).ToUnixTimeMilliseconds()}}}""");
        var (update, _) = V1Bodies.Fields("""{"delay": 10}""");

        var (spec, error) = EventRules.ForUpdate(stored, update!, new DeliveryOptions(), V1Bodies.Now);

        Assert.Null(error);
        Assert.Equal(V1Bodies.Now.AddSeconds(10), spec!.Schedule.FirstDueAt);
        Assert.Null(spec.Schedule.Timestamp);
    }

    [Fact]
    public void An_update_with_a_new_delay_and_timestamp_counts_from_that_timestamp()
    {
        var stored = V1Bodies.Accepted("""{"channel": "c", "delay": 60}""");
        var at = V1Bodies.Now.AddHours(1);
        var (update, _) = V1Bodies.Fields($$"""{"delay": 10, "timestamp": {{at.ToUnixTimeMilliseconds()}}}""");

        var (spec, _) = EventRules.ForUpdate(stored, update!, new DeliveryOptions(), V1Bodies.Now);

        Assert.Equal(at.AddSeconds(10), spec!.Schedule.FirstDueAt);
    }

    [Fact]
    public void Whole_numbers_written_with_a_fraction_are_integers()
    {
        var spec = V1Bodies.Accepted("""{"url": "https://example.com/hook", "retries": 2.0, "timeout": 1500.0, "repeat": 3.0, "delay": 1}""");

        Assert.Equal((2, 1500), (spec.Webhook!.Retries, spec.Webhook.TimeoutMs));
        Assert.Equal((RepeatMode.Times, 3), (spec.Schedule.Repeat, spec.Schedule.Times));
    }

    [Theory]
    [InlineData("""{"url": "https://example.com/hook", "retries": 2.5}""", "retries:")]
    [InlineData("""{"url": "https://example.com/hook", "timeout": 1e10}""", "timeout:")]
    public void Numbers_with_a_fraction_or_out_of_range_are_not_integers(string body, string field)
    {
        Assert.StartsWith(field, V1Bodies.Refused(body));
    }
}
