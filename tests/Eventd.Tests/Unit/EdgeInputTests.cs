using System.Net;
using Eventd.Grains.Delivery;
using Eventd.Grains.Interfaces;

namespace Eventd.Tests.Unit;

/// <summary>Inputs at the edges that once slipped through: each must be refused naming its field.</summary>
public sealed class EdgeInputTests
{
    [Theory]
    [InlineData("""{"url":"https://example.com","delay":1e308}""", "delay:")]
    [InlineData("""{"url":"https://example.com","delay":5e11}""", "delay:")]
    [InlineData("""{"url":"https://example.com","timestamp":"9999-12-31T23:59:59Z","delay":10}""", "timestamp:")]
    [InlineData("""{"url":"https://example.com","timestamp":253402300799999}""", "timestamp:")]
    [InlineData("""{"url":"https://example.com","cron":"0 0 30 2 *"}""", "cron:")]
    [InlineData("""{"url":"https://example.com","timestamp":"01/02/2030"}""", "timestamp:")]
    [InlineData("""{"channel":"orders\n"}""", "channel:")]
    [InlineData("""{"url":"https://example.com","headers":{"X-A\n":"v"}}""", "headers.X-A")]
    public void Out_of_range_or_malformed_input_is_refused_naming_the_field(string body, string field) =>
        Assert.StartsWith(field, V1Bodies.Refused(body));

    [Fact]
    public void Channel_error_quotes_the_documented_pattern() =>
        Assert.Equal("channel: must match ^[A-Za-z0-9][A-Za-z0-9:._-]{0,199}$", V1Bodies.Refused("""{"channel":"-x"}"""));

    [Fact]
    public void Repeat_slot_due_exactly_now_is_not_skipped()
    {
        var previous = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var schedule = new ScheduleSpec { DelaySeconds = 10, Repeat = RepeatMode.Forever };

        Assert.Equal(previous.AddSeconds(10), Eventd.Grains.Schedules.CatchUp.Step(schedule, previous, previous.AddSeconds(10), 0, 100).Next);
        Assert.Equal(previous.AddSeconds(30), Eventd.Grains.Schedules.CatchUp.Step(schedule, previous, previous.AddSeconds(25), 0, 100).Next);
    }

    [Theory]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("::127.0.0.2")]
    [InlineData("2002:7f00:1::")]
    [InlineData("2002:a00:1::")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    public void IPv6_forms_carrying_a_private_IPv4_address_are_not_public(string address) =>
        Assert.False(NetworkGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("64:ff9b::5db8:d822")]
    [InlineData("2002:5db8:d822::1")]
    public void IPv6_forms_carrying_a_public_IPv4_address_are_public(string address) =>
        Assert.True(NetworkGuard.IsPublic(IPAddress.Parse(address)));
}
