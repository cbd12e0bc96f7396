using CloudNative.CloudEvents.SystemTextJson;

namespace Eventd.Gateway.SpaceCloud;

/// <summary>
/// The SDK's JSON event format without an inferred <c>datacontenttype</c>: the body API.md
/// documents has none, and the webhook's <c>Content-Type</c> already says JSON.
/// </summary>
public sealed class CloudEventBodyFormatter : JsonEventFormatter
{
    public static readonly CloudEventBodyFormatter Instance = new();

    protected override string? InferDataContentType(object data) => null;
}
