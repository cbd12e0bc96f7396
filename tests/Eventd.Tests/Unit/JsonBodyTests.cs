using System.Text;
using System.Text.Json;
using Eventd.Gateway.Hosting;
using Eventd.Gateway.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>Reading a request body as one JSON object, or the 4xx that says why not (API.md general rules).</summary>
public class JsonBodyTests
{
    private const int MaxBytes = 1024;

    private static HttpRequest Request(string body, string? contentType = "application/json", bool declareLength = true)
    {
        var services = new ServiceCollection()
            .AddSingleton(Options.Create(new ApiOptions { MaxBodyBytes = MaxBytes }))
            .BuildServiceProvider();
        var bytes = Encoding.UTF8.GetBytes(body);
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "POST";
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentType = contentType;
        context.Request.ContentLength = declareLength ? bytes.Length : null;
        return context.Request;
    }

    [Fact]
    public async Task Json_object_is_read()
    {
        var body = await JsonBody.ReadObjectAsync(Request("""{"delay": 5, "url": "https://example.com"}"""));

        Assert.True(body.IsValid);
        Assert.Equal(StatusCodes.Status200OK, body.Status);
        Assert.Equal(JsonValueKind.Object, body.Root.ValueKind);
        Assert.Equal(5, body.Root.GetProperty("delay").GetInt32());
    }

    [Fact]
    public async Task Json_nested_deeper_than_64_levels_is_400_saying_so()
    {
        var nested = $"{{\"data\": {new string('[', 64)}{new string(']', 64)}}}";

        var body = await JsonBody.ReadObjectAsync(Request(nested));

        Assert.Equal(StatusCodes.Status400BadRequest, body.Status);
        Assert.Equal("body: nested deeper than 64 levels", body.Error);
    }

    [Fact]
    public async Task A_byte_order_mark_before_the_object_is_ignored()
    {
        var request = Request("""{"delay": 5}""");
        request.Body = new MemoryStream([0xEF, 0xBB, 0xBF, .. ((MemoryStream)request.Body).ToArray()]);
        request.ContentLength += 3;

        var body = await JsonBody.ReadObjectAsync(request);

        Assert.True(body.IsValid, body.Error);
        Assert.Equal(5, body.Root.GetProperty("delay").GetInt32());
    }

    [Fact]
    public async Task A_string_that_is_not_utf8_is_400_naming_the_field()
    {
        var request = Request("""{"delay": 5, "data": "xx"}""");
        var bytes = ((MemoryStream)request.Body).ToArray();
        bytes[^3] = 0xFF;
        request.Body = new MemoryStream(bytes);

        var body = await JsonBody.ReadObjectAsync(request);

        Assert.Equal(StatusCodes.Status400BadRequest, body.Status);
        Assert.Equal("data: not valid UTF-8 text", body.Error);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("APPLICATION/JSON")]
    [InlineData("application/merge-patch+json")]
    public void Json_content_types_are_json(string contentType)
    {
        Assert.True(JsonBody.IsJson(contentType));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/jsonp")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_content_types_are_not_json(string? contentType)
    {
        Assert.False(JsonBody.IsJson(contentType));
    }

    [Fact]
    public async Task Json_sent_as_text_plain_is_415()
    {
        var body = await JsonBody.ReadObjectAsync(Request("""{"delay": 5}""", "text/plain"));

        Assert.False(body.IsValid);
        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, body.Status);
        Assert.StartsWith("Content-Type:", body.Error);
    }

    [Fact]
    public async Task Json_sent_without_a_content_type_is_415()
    {
        var body = await JsonBody.ReadObjectAsync(Request("""{"delay": 5}""", contentType: null));

        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, body.Status);
    }

    [Fact]
    public async Task Declared_length_over_the_limit_is_413()
    {
        var request = Request("{}");
        request.ContentLength = MaxBytes + 1;

        var body = await JsonBody.ReadObjectAsync(request);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, body.Status);
        Assert.StartsWith("body:", body.Error);
    }

    [Fact]
    public async Task Undeclared_body_over_the_limit_is_413()
    {
        var json = $$"""{"data": "{{new string('x', MaxBytes)}}"}""";

        var body = await JsonBody.ReadObjectAsync(Request(json, declareLength: false));

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, body.Status);
    }

    [Fact]
    public async Task Body_of_exactly_the_limit_is_read()
    {
        var padding = new string('x', MaxBytes - """{"data": ""}""".Length);
        var json = $$"""{"data": "{{padding}}"}""";
        Assert.Equal(MaxBytes, Encoding.UTF8.GetByteCount(json));

        var body = await JsonBody.ReadObjectAsync(Request(json, declareLength: false));

        Assert.True(body.IsValid, body.Error);
        Assert.Equal(padding, body.Root.GetProperty("data").GetString());
    }

    [Fact]
    public async Task Empty_body_is_400()
    {
        var body = await JsonBody.ReadObjectAsync(Request(""));

        Assert.Equal(StatusCodes.Status400BadRequest, body.Status);
        Assert.Equal("body: a JSON object is required", body.Error);
    }

    [Fact]
    public async Task Empty_body_reads_as_an_empty_object_where_allowed()
    {
        var body = await JsonBody.ReadObjectAsync(Request(""), allowEmpty: true);

        Assert.True(body.IsValid);
        Assert.Equal(JsonValueKind.Object, body.Root.ValueKind);
        Assert.Empty(body.Root.EnumerateObject());
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{\"delay\": }")]
    [InlineData("{\"delay\": 5} trailing")]
    [InlineData("{'delay': 5}")]
    public async Task Unparseable_json_is_400(string json)
    {
        var body = await JsonBody.ReadObjectAsync(Request(json));

        Assert.Equal(StatusCodes.Status400BadRequest, body.Status);
        Assert.StartsWith("body: not valid JSON", body.Error);
    }

    [Theory]
    [InlineData("{\"delay\": 1, \"delay\": 2}", "delay: duplicate key")]
    [InlineData("{\"url\": \"https://a.example\", \"delay\": 1, \"url\": \"https://b.example\"}", "url: duplicate key")]
    [InlineData("{\"headers\": {\"X-A\": \"1\", \"X-A\": \"2\"}}", "headers.X-A: duplicate key")]
    [InlineData("{\"flowControl\": {\"key\": \"k\", \"rate\": 1, \"rate\": 2}}", "flowControl.rate: duplicate key")]
    [InlineData("{\"events\": [{\"url\": \"https://a.example\"}, {\"delay\": 1, \"delay\": 2}]}", "events[1].delay: duplicate key")]
    public async Task Duplicate_keys_are_400_naming_the_key(string json, string error)
    {
        var body = await JsonBody.ReadObjectAsync(Request(json));

        Assert.Equal(StatusCodes.Status400BadRequest, body.Status);
        Assert.Equal(error, body.Error);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{\"delay\": 5}]")]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("\"text\"")]
    public async Task Root_that_is_not_an_object_is_400(string json)
    {
        var body = await JsonBody.ReadObjectAsync(Request(json));

        Assert.Equal(StatusCodes.Status400BadRequest, body.Status);
        Assert.Equal("body: must be a JSON object", body.Error);
    }
}
