namespace Eventd.Grains.Interfaces;

/// <summary>One event as every API family hands it to the cluster: what to send, when, and where.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.EventSpec")]
public sealed record EventSpec
{
    [Id(0)] public string Project { get; init; } = "default";
    [Id(1)] public required ScheduleSpec Schedule { get; init; }
    [Id(2)] public WebhookTarget? Webhook { get; init; }
    [Id(3)] public string? Channel { get; init; }

    /// <summary>The payload as raw JSON text; null when the client sent none.</summary>
    [Id(4)] public string? Data { get; init; }

    /// <summary>The event type, for families that have one (Space Cloud, event log).</summary>
    [Id(5)] public string? Type { get; init; }

    /// <summary>
    /// The webhooks of a fan-out, each its own delivery under its name; null for an event with at most
    /// the one <see cref="Webhook"/>. An event has one or the other.
    /// </summary>
    [Id(6)] public IReadOnlyList<NamedWebhook>? Targets { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the request that created the event, so that each fire, hours later
    /// or after a restart, delivers in that trace; null when none was known (the fire starts its own).
    /// </summary>
    [Id(7)] public string? TraceParent { get; init; }

    /// <summary>The key whose fires deliver one at a time in due-time order (API.md "Ordering"); null for none.</summary>
    [Id(8)] public string? OrderingKey { get; init; }
}
