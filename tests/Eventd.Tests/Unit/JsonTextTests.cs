using System.Text;
using System.Text.Json;
using Eventd.Gateway.Http;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>Text in a JSON body that cannot become a string is found and named, not left to fail in a handler.</summary>
public class JsonTextTests
{
    /// <summary>The JSON text with each <c>~</c> replaced by the byte 0xFF, which UTF-8 never uses.</summary>
    private static byte[] WithBadByte(string json) =>
        [.. Encoding.UTF8.GetBytes(json).Select(b => b == (byte)'~' ? (byte)0xFF : b)];

    private static string? FirstInvalid(byte[] bytes)
    {
        using var document = JsonDocument.Parse(bytes);
        return JsonText.FirstInvalid(document.RootElement);
    }

    [Theory]
    [InlineData("""{"data":"a~b"}""", "data: not valid UTF-8 text")]
    [InlineData("""{"webhook":{"url":"~"}}""", "webhook.url: not valid UTF-8 text")]
    [InlineData("""{"data":{"list":["ok","~"]}}""", "data.list[1]: not valid UTF-8 text")]
    [InlineData("""{"~":1}""", "body: a key is not valid UTF-8 text")]
    [InlineData("""{"headers":{"X-~":"v"}}""", "headers: a key is not valid UTF-8 text")]
    [InlineData("""["~"]""", "body[0]: not valid UTF-8 text")]
    public void Bytes_that_are_not_utf8_are_named_by_where_they_are(string json, string error)
    {
        var bytes = WithBadByte(json);

        Assert.True(JsonText.MayHoldInvalidText(bytes));
        Assert.Equal(error, FirstInvalid(bytes));
    }

    [Fact]
    public void An_escaped_lone_surrogate_is_not_text()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"type":"a\ud800b"}""");

        Assert.True(JsonText.MayHoldInvalidText(bytes));
        Assert.Equal("type: not valid UTF-8 text", FirstInvalid(bytes));
    }

    [Theory]
    [InlineData("""{"data":"caf\u00e9 \ud83d\ude00","n":[1,true,null]}""")]
    [InlineData("""{"data":"café 😀"}""")]
    public void Valid_text_and_escapes_pass(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        Assert.Null(FirstInvalid(bytes));
    }

    [Fact]
    public void Plain_utf8_without_escapes_is_not_walked()
    {
        Assert.False(JsonText.MayHoldInvalidText(Encoding.UTF8.GetBytes("""{"data":"café 😀"}""")));
    }
}
