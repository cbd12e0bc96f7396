using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>The webhook fields of an Eventd v1 body: url, method, headers, flat or nested under <c>webhook</c>.</summary>
public class EventdV1WebhookFieldsTests
{
    [Theory]
    [InlineData("ftp://example.com/hook")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/relative/hook")]
    [InlineData("example.com/hook")]
    [InlineData("https://")]
    [InlineData("")]
    [InlineData("mailto:ops@example.com")]
    public void Url_that_is_not_absolute_http_or_https_is_rejected_naming_the_field(string url)
    {
        Assert.Equal("url: must be an absolute http or https URL", V1Bodies.Refused($$"""{"url": "{{url}}"}"""));
    }

    [Theory]
    [InlineData("https://user:secret@example.com/hook")]
    [InlineData("http://user@example.com/hook")]
    public void Url_with_credentials_is_rejected_naming_the_field(string url)
    {
        Assert.Equal("url: must not contain credentials", V1Bodies.Refused($$"""{"url": "{{url}}"}"""));
    }

    [Theory]
    [InlineData("5")]
    [InlineData("{\"href\": \"https://example.com\"}")]
    [InlineData("true")]
    public void Url_that_is_not_a_string_is_rejected_naming_the_field(string url)
    {
        Assert.Equal("url: must be a string", V1Bodies.Refused($$"""{"url": {{url}}}"""));
    }

    [Theory]
    [InlineData("http://example.com/hook")]
    [InlineData("https://example.com:8443/hooks/a?b=c")]
    public void Absolute_http_and_https_urls_are_accepted(string url)
    {
        Assert.Equal(url, V1Bodies.Accepted($$"""{"url": "{{url}}"}""").Webhook!.Url);
    }

    [Theory]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    [InlineData("TRACE")]
    [InlineData("CONNECT")]
    [InlineData("FETCH")]
    [InlineData("")]
    public void Method_outside_the_five_is_rejected_naming_the_field(string method)
    {
        var error = V1Bodies.Refused($$"""{"url": "https://example.com", "method": "{{method}}"}""");

        Assert.Equal("method: must be one of GET, POST, PUT, PATCH, DELETE", error);
    }

    [Fact]
    public void Method_that_is_not_a_string_is_rejected_naming_the_field()
    {
        Assert.StartsWith("method:", V1Bodies.Refused("""{"url": "https://example.com", "method": 1}"""));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public void Each_of_the_five_methods_is_accepted(string method)
    {
        Assert.Equal(method, V1Bodies.Accepted($$"""{"url": "https://example.com", "method": "{{method}}"}""").Webhook!.Method);
    }

    [Fact]
    public void Headers_that_are_not_an_object_are_rejected_naming_the_field()
    {
        Assert.StartsWith("headers:", V1Bodies.Refused("""{"url": "https://example.com", "headers": ["X-A: 1"]}"""));
    }

    [Fact]
    public void Header_value_that_is_not_a_string_is_rejected_naming_the_header()
    {
        var error = V1Bodies.Refused("""{"url": "https://example.com", "headers": {"X-Count": 3}}""");

        Assert.Equal("headers.X-Count: must be a string", error);
    }

    [Theory]
    [InlineData("X Bad")]
    [InlineData("X:Bad")]
    [InlineData("X(Bad)")]
    [InlineData("Ünicode")]
    [InlineData("")]
    public void Header_name_that_is_not_an_http_token_is_rejected_naming_the_header(string name)
    {
        var error = V1Bodies.Refused($$$"""{"url": "https://example.com", "headers": {"{{{name}}}": "v"}}""");

        Assert.Equal($"headers.{name}: not a valid header name", error);
    }

    [Fact]
    public void Header_value_with_a_tab_is_taken()
    {
        Assert.Equal("a\tb", V1Bodies.Accepted("""{"url": "https://example.com", "headers": {"X-Trace": "a\tb"}}""").Webhook!.Headers["X-Trace"]);
    }

    [Fact]
    public void Url_with_a_control_character_is_rejected()
    {
        Assert.Equal("url: must not contain control characters", V1Bodies.Refused("""{"url": "https://example.com/h\u0000"}"""));
    }

    [Theory]
    [InlineData("a\\r\\nX-Injected: 1", "must not contain CR or LF")]
    [InlineData("a\\nb", "must not contain CR or LF")]
    [InlineData("a\\rb", "must not contain CR or LF")]
    [InlineData("a\\u0000b", "must not contain control characters")]
    [InlineData("a\\u001bb", "must not contain control characters")]
    [InlineData("a\\u007fb", "must not contain control characters")]
    public void Header_value_with_a_control_character_is_rejected_naming_the_header(string value, string problem)
    {
        var error = V1Bodies.Refused($$$"""{"url": "https://example.com", "headers": {"X-Trace": "{{{value}}}"}}""");

        Assert.Equal($"headers.X-Trace: {problem}", error);
    }

    [Theory]
    [InlineData("Host")]
    [InlineData("host")]
    [InlineData("Content-Length")]
    [InlineData("Content-Type")]
    [InlineData("content-type")]
    [InlineData("Transfer-Encoding")]
    [InlineData("Connection")]
    [InlineData("webhook-id")]
    [InlineData("webhook-timestamp")]
    [InlineData("Webhook-Signature")]
    [InlineData("webhook-anything")]
    public void Reserved_header_is_rejected_naming_the_header(string name)
    {
        var error = V1Bodies.Refused($$$"""{"url": "https://example.com", "headers": {"{{{name}}}": "v"}}""");

        Assert.Equal($"headers.{name}: reserved", error);
    }

    [Fact]
    public void Ordinary_headers_are_kept_with_their_values()
    {
        var spec = V1Bodies.Accepted("""{"url": "https://example.com", "headers": {"X-Trace": "abc", "Authorization": "Bearer t0k"}}""");

        Assert.Equal(2, spec.Webhook!.Headers.Count);
        Assert.Equal("abc", spec.Webhook.Headers["X-Trace"]);
        Assert.Equal("Bearer t0k", spec.Webhook.Headers["Authorization"]);
    }

    [Theory]
    [InlineData("\"https://example.com\"")]
    [InlineData("[]")]
    [InlineData("true")]
    public void Webhook_that_is_not_an_object_is_rejected_naming_the_field(string webhook)
    {
        Assert.Equal("webhook: must be an object", V1Bodies.Refused($$"""{"webhook": {{webhook}}}"""));
    }

    [Fact]
    public void Unknown_field_inside_webhook_is_rejected_naming_it()
    {
        var error = V1Bodies.Refused("""{"webhook": {"url": "https://example.com", "secret": "s"}}""");

        Assert.Equal("webhook.secret: unknown field", error);
    }

    [Fact]
    public void Webhook_field_names_are_case_sensitive()
    {
        Assert.Equal("webhook.URL: unknown field", V1Bodies.Refused("""{"webhook": {"URL": "https://example.com"}}"""));
    }

    [Fact]
    public void Bad_nested_url_is_rejected_naming_webhook_url()
    {
        var error = V1Bodies.Refused("""{"webhook": {"url": "ftp://example.com"}}""");

        Assert.Equal("webhook.url: must be an absolute http or https URL", error);
    }

    [Fact]
    public void Nested_url_with_credentials_is_rejected_naming_webhook_url()
    {
        var error = V1Bodies.Refused("""{"webhook": {"url": "https://u:p@example.com"}}""");

        Assert.Equal("webhook.url: must not contain credentials", error);
    }

    [Fact]
    public void Bad_nested_method_is_rejected_naming_webhook_method()
    {
        var error = V1Bodies.Refused("""{"webhook": {"url": "https://example.com", "method": "HEAD"}}""");

        Assert.StartsWith("webhook.method:", error);
    }

    [Fact]
    public void Reserved_nested_header_is_rejected_naming_webhook_headers()
    {
        var error = V1Bodies.Refused("""{"webhook": {"url": "https://example.com", "headers": {"Host": "evil"}}}""");

        Assert.Equal("webhook.headers.Host: reserved", error);
    }

    [Fact]
    public void Flat_and_nested_urls_that_differ_are_rejected()
    {
        var error = V1Bodies.Refused("""{"url": "https://a.example.com", "webhook": {"url": "https://b.example.com"}}""");

        Assert.StartsWith("webhook.url:", error);
        Assert.Contains("conflicts", error);
    }

    [Fact]
    public void Flat_and_nested_methods_that_differ_are_rejected()
    {
        var error = V1Bodies.Refused("""{"url": "https://example.com", "method": "PUT", "webhook": {"method": "GET"}}""");

        Assert.StartsWith("webhook.method:", error);
    }

    [Fact]
    public void The_same_url_flat_and_nested_is_accepted()
    {
        var spec = V1Bodies.Accepted("""{"url": "https://example.com/h", "webhook": {"url": "https://example.com/h"}}""");

        Assert.Equal("https://example.com/h", spec.Webhook!.Url);
    }
}
