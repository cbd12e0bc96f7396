using System.Text.Json;
using Eventd.Gateway.Endpoints;
using Eventd.Grains.Interfaces;

namespace Eventd.Tests.Unit;

/// <summary>API.md "Bulk redrive" and "Endpoint health": the bodies, each refusal naming its field.</summary>
public sealed class RedriveRequestTests
{
    private static JsonElement Body(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void An_empty_body_selects_every_dead_letter_up_to_the_default_limit()
    {
        var (selection, error) = EndpointHealthRequests.ParseRedrive(Body("{}"));

        Assert.Null(error);
        Assert.Equal(new DeadLetterSelection(null, null, null, 1000), selection);
    }

    [Fact]
    public void Times_are_milliseconds_seconds_below_1e11_or_iso_8601()
    {
        var (selection, error) = EndpointHealthRequests.ParseRedrive(Body("""{"url": "https://a/", "since": 1700000000, "until": "2030-01-01T00:00:00Z", "limit": 5}"""));

        Assert.Null(error);
        Assert.Equal("https://a/", selection!.UrlPrefix);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), selection.Since);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), selection.Until);
        Assert.Equal(5, selection.Limit);
    }

    [Theory]
    [InlineData("""{"limit": 0}""", "limit:")]
    [InlineData("""{"limit": 10001}""", "limit:")]
    [InlineData("""{"limit": 1.5}""", "limit:")]
    [InlineData("""{"url": 3}""", "url:")]
    [InlineData("""{"since": "yesterday"}""", "since:")]
    [InlineData("""{"until": true}""", "until:")]
    [InlineData("""{"since": 2000, "until": 1000}""", "until:")]
    [InlineData("""{"prefix": "x"}""", "prefix: unknown field")]
    public void Bad_values_are_refused_naming_the_field(string json, string start)
    {
        var (selection, error) = EndpointHealthRequests.ParseRedrive(Body(json));

        Assert.Null(selection);
        Assert.StartsWith(start, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{}""", "origin: required")]
    [InlineData("""{"origin": "nope"}""", "origin:")]
    [InlineData("""{"origin": 1}""", "origin:")]
    [InlineData("""{"origin": "http://a:1", "x": 1}""", "x: unknown field")]
    public void An_enable_needs_an_http_origin(string json, string start)
    {
        var (origin, error) = EndpointHealthRequests.ParseEnable(Body(json));

        Assert.Null(origin);
        Assert.StartsWith(start, error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_enable_names_the_origin_as_listed() =>
        Assert.Equal("https://api.example.com:443", EndpointHealthRequests.ParseEnable(Body("""{"origin": "https://API.example.com"}""")).Origin);
}
