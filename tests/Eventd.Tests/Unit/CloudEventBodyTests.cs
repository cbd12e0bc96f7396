using System.Net.Mime;
using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using Eventd.Gateway.SpaceCloud;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>The Space Cloud CloudEvent body read back by the CNCF SDK's own JSON formatter, as a receiver using it would.</summary>
public class CloudEventBodyTests
{
    private static readonly DateTimeOffset Queued = new(2026, 11, 23, 4, 30, 0, 123, TimeSpan.Zero);

    private static CloudEvent ReadBack(string body) =>
        new JsonEventFormatter().DecodeStructuredModeMessage(Encoding.UTF8.GetBytes(body), new ContentType("application/cloudevents+json"), extensionAttributes: null);

    [Fact]
    public void A_cloud_event_body_parses_back_with_the_SDK_formatter_to_the_same_event()
    {
        var body = CloudEventBody.For("0123456789abcdef0123456789abcdef", "sent-email", "eventd/shop", Queued, """{"to":"a@b.c","n":[1,2]}""");

        var cloudEvent = ReadBack(body);

        Assert.Equal(CloudEventsSpecVersion.V1_0, cloudEvent.SpecVersion);
        Assert.Equal("0123456789abcdef0123456789abcdef", cloudEvent.Id);
        Assert.Equal("sent-email", cloudEvent.Type);
        Assert.Equal("eventd/shop", cloudEvent.Source?.OriginalString);
        Assert.Equal(Queued, cloudEvent.Time);
        Assert.Equal("""{"to":"a@b.c","n":[1,2]}""", Assert.IsType<JsonElement>(cloudEvent.Data).GetRawText());
        Assert.DoesNotContain("datacontenttype", body);
    }

    [Fact]
    public void A_cloud_event_without_data_writes_data_null_and_parses_back_without_data()
    {
        var body = CloudEventBody.For("id", "t", "c/p", Queued, null);

        Assert.EndsWith("\"data\":null}", body);
        Assert.DoesNotContain("datacontenttype", body);
        Assert.Null(ReadBack(body).Data);
    }
}
