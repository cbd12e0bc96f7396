using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Eventd.Gateway.Webhooks;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Webhooks;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>What <c>POST /webhook</c> takes, and what a trigger delivers as its body.</summary>
public class WebhookRegisterRequestTests
{
    private static (WebhookRegisterRequest? Request, int Status, string? Error) From(params (string Name, string Value)[] fields) =>
        WebhookRegisterRequest.From(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).ToList());

    [Fact]
    public void Userid_url_and_method_are_the_hooks_own_and_every_other_field_is_an_argument()
    {
        var (request, _, error) = From(("userid", "u1"), ("url", "https://example.com/h"), ("method", "patch"), ("plan", "pro"), ("seats", "3"));

        Assert.Null(error);
        Assert.Equal(("u1", "https://example.com/h", "PATCH"), (request!.UserId, request.Url, request.Method));
        Assert.Equal(new Dictionary<string, string> { ["plan"] = "pro", ["seats"] = "3" }, request.Args);
    }

    [Fact]
    public void A_hook_without_a_url_only_logs_its_triggers() =>
        Assert.Null(From(("userid", "u1")).Request!.Url);

    [Theory]
    [InlineData("", "userid: required")]
    [InlineData("   ", "userid: required")]
    public void A_blank_userid_is_refused(string userId, string error) =>
        Assert.Equal((400, error), (From(("userid", userId)).Status, From(("userid", userId)).Error));

    [Fact]
    public void A_method_needs_a_url() =>
        Assert.Equal("method: needs url", From(("userid", "u"), ("method", "POST")).Error);

    [Fact]
    public void Too_many_arguments_are_refused() =>
        Assert.Equal("body: at most 100 arguments", From([("userid", "u"), .. Enumerable.Range(0, 101).Select(i => ($"a{i}", "v"))]).Error);

    [Fact]
    public void A_trigger_body_is_its_json_value_or_else_its_text_and_null_when_empty()
    {
        Assert.Null(WebhookTrigger.Body([]));
        Assert.Equal(5, WebhookTrigger.Body(Encoding.UTF8.GetBytes("""{"n":5}"""))!["n"]!.GetValue<int>());
        Assert.Equal("not json {", WebhookTrigger.Body(Encoding.UTF8.GetBytes("not json {"))!.GetValue<string>());
        Assert.Equal("""{"a":1,"a":2}""", WebhookTrigger.Body(Encoding.UTF8.GetBytes("""{"a":1,"a":2}"""))!.GetValue<string>());
    }

    [Fact]
    public void The_delivered_payload_names_the_hook_its_user_its_arguments_the_time_and_the_body()
    {
        var hook = new WebhookRegistration
        {
            Id = "h1",
            UserId = "u1",
            Args = new Dictionary<string, string> { ["plan"] = "pro" }.ToImmutableSortedDictionary(),
            Url = "https://example.com/h",
        };

        var payload = JsonDocument.Parse(TriggerPayload.Of(hook, new DateTimeOffset(2026, 11, 23, 4, 30, 0, TimeSpan.Zero), body: null)).RootElement;

        Assert.Equal("h1", payload.GetProperty("id").GetString());
        Assert.Equal("u1", payload.GetProperty("userid").GetString());
        Assert.Equal("pro", payload.GetProperty("args").GetProperty("plan").GetString());
        Assert.Equal("2026-11-23T04:30:00Z", payload.GetProperty("triggeredAt").GetString());
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("body").ValueKind);
    }
}
