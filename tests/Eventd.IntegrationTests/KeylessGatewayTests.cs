using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Eventd.IntegrationTests;

/// <summary>API.md "Keys and auth" on a gateway with no admin key (the shared cluster's).</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class KeylessGatewayTests(SharedClusterFixture fixture)
{
    private EventdCluster Eventd => fixture.Eventd;

    [Fact]
    public async Task The_event_log_still_needs_a_key()
    {
        using var emitted = await Eventd.Http.PostAsJsonAsync("/emit", new { @event = "order.created", payload = new { n = 1 } });

        Assert.Equal(HttpStatusCode.Unauthorized, emitted.StatusCode);
        var answer = JsonDocument.Parse(await emitted.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("error", answer.GetProperty("status").GetString());
        Assert.StartsWith("X-Eventd-Secret:", answer.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_cannot_be_made_without_an_admin_key()
    {
        using var created = await Eventd.Http.PostAsJsonAsync("/v1/keys", new { name = "k", project = "shop" });

        Assert.Equal(HttpStatusCode.Unauthorized, created.StatusCode);
    }

    [Fact]
    public async Task The_native_routes_need_no_key_and_a_wrong_key_sent_anyway_is_refused()
    {
        using var listed = await Eventd.Http.GetAsync("/eventd/v1/events");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/eventd/v1/events");
        request.Headers.Add("X-Eventd-Secret", "no-such-key");
        using var withWrongKey = await Eventd.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withWrongKey.StatusCode);
    }

    [Theory]
    [InlineData("/webhook", "error")]
    [InlineData("/v1/api/shop/eventing/queue", "error")]
    [InlineData("/eventd/v1/events", "ok")]
    [InlineData("/query", "status")]
    public async Task A_wrong_method_is_405_in_the_error_shape_of_the_routes_family(string path, string field)
    {
        using var response = await Eventd.Http.PutAsync(path, new StringContent("{}"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(answer.TryGetProperty(field, out _), $"{path}: {answer}");
        Assert.Equal(field == "error", !answer.TryGetProperty("ok", out _) && !answer.TryGetProperty("status", out _));
    }
}
