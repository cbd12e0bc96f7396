using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Eventd.IntegrationTests;

/// <summary>API.md section 2, "Flow control" and "Ordering": every bad value is a 400 naming its field, and stores nothing.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class FlowControlRequestTests(SharedClusterFixture fixture)
{
    private EventdCluster Eventd => fixture.Eventd;

    public static TheoryData<string, string> BadCreates => new()
    {
        { """{"url": "http://127.0.0.1:9/h", "flowControl": "crm"}""", "flowControl: must be an object" },
        { """{"url": "http://127.0.0.1:9/h", "flowControl": {"rate": 1}}""", "flowControl.key: required" },
        { """{"url": "http://127.0.0.1:9/h", "flowControl": {"key": "-crm", "rate": 1}}""", "flowControl.key: required, must match" },
        { """{"url": "http://127.0.0.1:9/h", "flowControl": {"key": "crm"}}""", "flowControl.rate: give rate, parallelism or both" },
        { """{"url": "http://127.0.0.1:9/h", "flowControl": {"key": "crm", "rate": 0}}""", "flowControl.rate: must be an integer from 1 to 10000" },
        { """{"url": "http://127.0.0.1:9/h", "flowControl": {"key": "crm", "rate": 10001}}""", "flowControl.rate: must be an integer from 1 to 10000" },
        { """{"url": "http://127.0.0.1:9/h", "flowControl": {"key": "crm", "rate": 1.5}}""", "flowControl.rate: must be an integer from 1 to 10000" },
        { """{"url": "http://127.0.0.1:9/h", "flowControl": {"key": "crm", "rate": 1, "period": 0}}""", "flowControl.period: must be an integer from 1 to 3600" },
        { """{"url": "http://127.0.0.1:9/h", "flowControl": {"key": "crm", "rate": 1, "period": 3601}}""", "flowControl.period: must be an integer from 1 to 3600" },
        { """{"url": "http://127.0.0.1:9/h", "flowControl": {"key": "crm", "parallelism": 0}}""", "flowControl.parallelism: must be an integer from 1 to 1000" },
        { """{"url": "http://127.0.0.1:9/h", "flowControl": {"key": "crm", "parallelism": 1001}}""", "flowControl.parallelism: must be an integer from 1 to 1000" },
        { """{"url": "http://127.0.0.1:9/h", "flowControl": {"key": "crm", "rate": 1, "burst": 2}}""", "flowControl.burst: unknown field" },
        { """{"channel": "c", "flowControl": {"key": "crm", "rate": 1}}""", "flowControl: applies to webhooks; give a url" },
        { """{"url": "http://127.0.0.1:9/h", "orderingKey": 5}""", "orderingKey: must match" },
        { """{"url": "http://127.0.0.1:9/h", "orderingKey": "a b"}""", "orderingKey: must match" },
        { """{"channel": "c", "orderingKey": "k"}""", "orderingKey: applies to webhooks; give a url" },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task A_bad_flow_control_or_ordering_key_is_400_naming_the_field_and_creates_nothing(string body, string error)
    {
        var before = await Eventd.StoredEventCountAsync();

        using var response = await Eventd.Http.PostAsync("/eventd/v1/events", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(error, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await Eventd.StoredEventCountAsync());
    }

    [Fact]
    public async Task A_bad_flow_control_on_an_update_is_400_and_changes_nothing()
    {
        var key = $"kept-{Guid.NewGuid():N}";
        var id = await Eventd.CreateEventAsync(new { url = Eventd.Receiver.Url("/flow/update"), delay = 3600, flowControl = new { key, rate = 4 } });

        using var response = await Eventd.Http.PatchAsJsonAsync($"/eventd/v1/events/{id}", new { flowControl = new { key, rate = 0 } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("flowControl.rate:", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(4, (await Eventd.ReadEventAsync(id)).GetProperty("flowControl").GetProperty("rate").GetInt32());
    }

    [Fact]
    public async Task A_trigger_with_a_bad_flow_control_is_400_naming_the_field()
    {
        using var response = await Eventd.Http.PostAsJsonAsync(
            "/v1/config/projects/flowbad/eventing/triggers/t1",
            new { type = "x", url = "http://127.0.0.1:9/h", flowControl = new { key = "k", period = 2 } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("flowControl.rate:", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        using var list = await Eventd.Http.GetAsync("/v1/config/projects/flowbad/eventing/triggers");
        Assert.Empty((await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result").EnumerateArray());
    }
}
