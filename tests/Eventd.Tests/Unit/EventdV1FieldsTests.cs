using Eventd.Grains.Interfaces;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>The Eventd v1 create body, field by field (API.md section 1): types, ranges and unknown names.</summary>
public class EventdV1FieldsTests
{
    private const string Url = "\"url\": \"https://example.com/hook\"";

    [Fact]
    public void Negative_delay_is_rejected_naming_the_field()
    {
        Assert.Equal("delay: must be >= 0", V1Bodies.Refused($$"""{{{Url}}, "delay": -1}"""));
    }

    [Fact]
    public void Slightly_negative_fractional_delay_is_rejected()
    {
        Assert.Equal("delay: must be >= 0", V1Bodies.Refused($$"""{{{Url}}, "delay": -0.001}"""));
    }

    [Theory]
    [InlineData("\"5\"")]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("[5]")]
    public void Delay_that_is_not_a_number_is_rejected_naming_the_field(string delay)
    {
        Assert.StartsWith("delay:", V1Bodies.Refused($$"""{{{Url}}, "delay": {{delay}}}"""));
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("2.5", 2.5)]
    [InlineData("3600", 3600)]
    public void Zero_and_fractional_delays_are_accepted_as_seconds(string delay, double seconds)
    {
        var (fields, error) = V1Bodies.Fields($$"""{{{Url}}, "delay": {{delay}}}""");

        Assert.Null(error);
        Assert.Equal(seconds, fields!.Delay);
    }

    [Theory]
    [InlineData("\"next tuesday\"")]
    [InlineData("\"2026-13-45T00:00:00Z\"")]
    [InlineData("-5")]
    [InlineData("true")]
    [InlineData("{\"at\": 1}")]
    [InlineData("1e300")]
    public void Timestamp_that_is_not_a_time_is_rejected_naming_the_field(string timestamp)
    {
        Assert.StartsWith("timestamp:", V1Bodies.Refused($$"""{{{Url}}, "timestamp": {{timestamp}}}"""));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("\"true\"")]
    [InlineData("\"3\"")]
    [InlineData("[]")]
    public void Repeat_other_than_true_false_or_a_positive_integer_is_rejected(string repeat)
    {
        Assert.StartsWith("repeat:", V1Bodies.Refused($$"""{{{Url}}, "delay": 5, "repeat": {{repeat}}}"""));
    }

    [Fact]
    public void Repeat_false_means_one_fire()
    {
        var (fields, _) = V1Bodies.Fields($$"""{{{Url}}, "repeat": false}""");

        Assert.Equal(RepeatMode.Once, fields!.Repeat);
        Assert.Equal(1, fields.Times);
    }

    [Fact]
    public void Repeat_true_means_forever()
    {
        var (fields, _) = V1Bodies.Fields($$"""{{{Url}}, "delay": 5, "repeat": true}""");

        Assert.Equal(RepeatMode.Forever, fields!.Repeat);
    }

    [Fact]
    public void Repeat_integer_means_that_many_fires()
    {
        var (fields, _) = V1Bodies.Fields($$"""{{{Url}}, "delay": 5, "repeat": 4}""");

        Assert.Equal(RepeatMode.Times, fields!.Repeat);
        Assert.Equal(4, fields.Times);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("true")]
    [InlineData("[\"* * * * *\"]")]
    public void Cron_that_is_not_a_string_is_rejected_naming_the_field(string cron)
    {
        Assert.Equal("cron: must be a string", V1Bodies.Refused($$"""{{{Url}}, "cron": {{cron}}}"""));
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"-orders\"")]
    [InlineData("\".orders\"")]
    [InlineData("\"has space\"")]
    [InlineData("\"orders/eu\"")]
    [InlineData("\"ordérs\"")]
    [InlineData("5")]
    [InlineData("{}")]
    public void Channel_not_matching_the_pattern_is_rejected_naming_the_field(string channel)
    {
        Assert.StartsWith("channel:", V1Bodies.Refused($$"""{"channel": {{channel}}}"""));
    }

    [Fact]
    public void Channel_longer_than_200_characters_is_rejected()
    {
        var channel = new string('c', 201);

        Assert.StartsWith("channel:", V1Bodies.Refused($$"""{"channel": "{{channel}}"}"""));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("orders")]
    [InlineData("0rders:eu.v1_x-y")]
    public void Channel_matching_the_pattern_is_accepted(string channel)
    {
        var (fields, error) = V1Bodies.Fields($$"""{"channel": "{{channel}}"}""");

        Assert.Null(error);
        Assert.Equal(channel, fields!.Channel);
    }

    [Fact]
    public void Channel_of_exactly_200_characters_is_accepted()
    {
        var channel = "c" + new string('-', 199);

        Assert.Equal(channel, V1Bodies.Accepted($$"""{"channel": "{{channel}}"}""").Channel);
    }

    [Fact]
    public void Data_is_kept_as_raw_json()
    {
        var (fields, _) = V1Bodies.Fields("""{"url": "https://example.com/hook", "data": {"order": 42, "tags": ["a"]}}""");

        Assert.True(fields!.HasData);
        Assert.Equal("""{"order": 42, "tags": ["a"]}""", fields.Data);
    }

    [Fact]
    public void Payload_is_an_alias_of_data()
    {
        var (fields, _) = V1Bodies.Fields($$"""{{{Url}}, "payload": [1, 2]}""");

        Assert.True(fields!.HasData);
        Assert.Equal("[1, 2]", fields.Data);
    }

    [Fact]
    public void Null_data_counts_as_given()
    {
        var (fields, error) = V1Bodies.Fields($$"""{{{Url}}, "data": null}""");

        Assert.Null(error);
        Assert.True(fields!.HasData);
        Assert.Null(fields.Data);
    }

    [Theory]
    [InlineData("\"data\": 1, \"payload\": 2", "payload:")]
    [InlineData("\"payload\": 1, \"data\": 2", "data:")]
    [InlineData("\"data\": null, \"payload\": {}", "payload:")]
    public void Data_and_payload_together_are_rejected_naming_the_second(string both, string prefix)
    {
        var error = V1Bodies.Refused($$"""{{{Url}}, {{both}}}""");

        Assert.StartsWith(prefix, error);
        Assert.Contains("not both", error);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("101")]
    [InlineData("1.5")]
    [InlineData("\"3\"")]
    [InlineData("true")]
    [InlineData("3000000000")]
    public void Retries_outside_0_to_100_or_not_an_integer_are_rejected(string retries)
    {
        Assert.Equal("retries: must be an integer from 0 to 100", V1Bodies.Refused($$"""{{{Url}}, "retries": {{retries}}}"""));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void Retries_at_the_bounds_are_accepted(int retries)
    {
        Assert.Equal(retries, V1Bodies.Accepted($$"""{{{Url}}, "retries": {{retries}}}""").Webhook!.Retries);
    }

    [Theory]
    [InlineData("99")]
    [InlineData("60001")]
    [InlineData("0")]
    [InlineData("100.5")]
    [InlineData("\"5000\"")]
    [InlineData("false")]
    public void Timeout_outside_100_to_60000_or_not_an_integer_is_rejected(string timeout)
    {
        Assert.StartsWith("timeout:", V1Bodies.Refused($$"""{{{Url}}, "timeout": {{timeout}}}"""));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(60000)]
    public void Timeout_at_the_bounds_is_accepted(int timeout)
    {
        Assert.Equal(timeout, V1Bodies.Accepted($$"""{{{Url}}, "timeout": {{timeout}}}""").Webhook!.TimeoutMs);
    }

    [Fact]
    public void Unknown_field_is_rejected_naming_it()
    {
        Assert.Equal("dealy: unknown field", V1Bodies.Refused($$"""{{{Url}}, "dealy": 5}"""));
    }

    [Fact]
    public void Several_unknown_fields_are_all_named()
    {
        var error = V1Bodies.Refused($$"""{{{Url}}, "dealy": 5, "retry": 2}""");

        Assert.Equal("dealy, retry: unknown fields", error);
    }

    [Fact]
    public void Field_names_are_case_sensitive()
    {
        Assert.Equal("Delay: unknown field", V1Bodies.Refused($$"""{{{Url}}, "Delay": 5}"""));
    }

    [Fact]
    public void Null_fields_are_treated_as_absent()
    {
        var (fields, error) = V1Bodies.Fields($$"""{{{Url}}, "delay": null, "cron": null, "channel": null, "retries": null}""");

        Assert.Null(error);
        Assert.Null(fields!.Delay);
        Assert.Null(fields.Cron);
        Assert.Null(fields.Channel);
        Assert.Null(fields.Retries);
    }
}
