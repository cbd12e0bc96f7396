using System.Text.Json;
using Eventd.Gateway.Endpoints;
using Eventd.Grains.Events;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Options;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>Runs an Eventd v1 create body through both stages a create goes through: the gateway's fields, then the intake's rules.</summary>
public static class V1Bodies
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static (EventFields? Fields, string? Error) Fields(string json)
    {
        using var document = JsonDocument.Parse(json);
        return EventdV1Fields.Parse(document.RootElement);
    }

    public static (EventSpec? Spec, string? Error) Create(string json, DeliveryOptions? defaults = null, string project = "default")
    {
        var (fields, error) = Fields(json);
        return fields is null
            ? (null, error)
            : EventRules.ForCreate(fields, defaults ?? new DeliveryOptions(), project, Now);
    }

    /// <summary>The error of a body that must be refused; fails the test when the body is accepted.</summary>
    public static string Refused(string json)
    {
        var (spec, error) = Create(json);
        Assert.Null(spec);
        Assert.NotNull(error);
        return error;
    }

    /// <summary>The spec of a body that must be accepted; fails the test with the error otherwise.</summary>
    public static EventSpec Accepted(string json, DeliveryOptions? defaults = null)
    {
        var (spec, error) = Create(json, defaults);
        Assert.True(spec is not null, $"expected {json} to be accepted, got: {error}");
        Assert.Null(error);
        return spec;
    }
}
