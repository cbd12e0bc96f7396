using System.Text.Json;
using Eventd.Gateway.Auth;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>The pieces of API.md "Keys and auth" that need no server: headers, key bodies, loopback binding.</summary>
public sealed class AuthRulesTests
{
    [Theory]
    [InlineData("X-Eventd-Secret", "abc", "abc")]
    [InlineData("X-Buildable-Secret", "abc", "abc")]
    [InlineData("Authorization", "Bearer abc", "abc")]
    [InlineData("Authorization", "bearer  abc ", "abc")]
    [InlineData("Authorization", "Basic YWJjOmRlZg==", null)]
    [InlineData("Authorization", "Bearer ", null)]
    [InlineData("X-Other", "abc", null)]
    public void A_secret_is_read_from_its_three_headers_only(string header, string value, string? expected)
    {
        var headers = new HeaderDictionary { [header] = value };

        Assert.Equal(expected, PresentedKey.From(headers));
    }

    [Fact]
    public void Two_values_of_one_secret_header_are_no_secret()
    {
        var headers = new HeaderDictionary { ["X-Eventd-Secret"] = new(["a", "b"]) };

        Assert.Null(PresentedKey.From(headers));
    }

    [Theory]
    [InlineData("""{"name":"ci","project":"shop"}""", null)]
    [InlineData("""{"name":"ci.v2","project":"shop","environment":"staging"}""", null)]
    [InlineData("""{"project":"shop"}""", "name:")]
    [InlineData("""{"name":"","project":"shop"}""", "name:")]
    [InlineData("""{"name":"a b","project":"shop"}""", "name:")]
    [InlineData("""{"name":"ci"}""", "project:")]
    [InlineData("""{"name":"ci","project":"sh op"}""", "project:")]
    [InlineData("""{"name":"ci","project":"shop","environment":7}""", "environment:")]
    [InlineData("""{"name":"ci","project":"shop","environment":"pr\nod"}""", "environment:")]
    [InlineData("""{"name":"ci","project":"shop","scope":"x"}""", "scope:")]
    public void A_key_body_is_checked_field_by_field(string body, string? errorStart)
    {
        var (request, error) = KeyRequest.Parse(JsonDocument.Parse(body).RootElement);

        if (errorStart is null)
        {
            Assert.NotNull(request);
            Assert.Null(error);
        }
        else
        {
            Assert.Null(request);
            Assert.StartsWith(errorStart, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_key_without_an_environment_is_in_production()
    {
        var (request, _) = KeyRequest.Parse(JsonDocument.Parse("""{"name":"ci","project":"shop"}""").RootElement);

        Assert.Equal("production", request!.Environment);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080", 0)]
    [InlineData("http://localhost:8080", "http://localhost:8080", 0)]
    [InlineData("http://[::1]:8080", "http://[::1]:8080", 0)]
    [InlineData("http://0.0.0.0:8080", "http://127.0.0.1:8080", 1)]
    [InlineData("http://*:8080", "http://127.0.0.1:8080", 1)]
    [InlineData("http://+:8080", "http://127.0.0.1:8080", 1)]
    [InlineData("http://[::]:9000", "http://127.0.0.1:9000", 1)]
    [InlineData("https://example.com:8443;http://127.0.0.1:8080", "https://127.0.0.1:8443;http://127.0.0.1:8080", 1)]
    public void Without_an_admin_key_every_non_loopback_address_moves_to_loopback(string urls, string expected, int moved)
    {
        var binding = LoopbackBinding.Of(urls);

        Assert.Equal(expected, binding.Urls);
        Assert.Equal(moved, binding.Moved.Count);
    }

    [Fact]
    public void A_project_key_reaches_its_own_project_and_the_admin_key_and_keyless_callers_every_project()
    {
        var key = new Caller("shop", "production", "ci", false);

        Assert.True(key.Reaches("shop"));
        Assert.False(key.Reaches("other"));
        Assert.True(Caller.Admin.Reaches("other"));
        Assert.True(Caller.Anonymous.Reaches("other"));
    }
}
