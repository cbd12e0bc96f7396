using System.Text.Json.Serialization;

namespace Eventd.Grains.Interfaces;

/// <summary>Everything one delivery grain needs to send one fire to one target.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.WebhookRequest")]
public sealed record WebhookRequest
{
    [Id(0)] public required string EventId { get; init; }
    [Id(1)] public required int Seq { get; init; }
    [Id(2)] public required string Target { get; init; }
    [Id(3)] public required WebhookTarget Webhook { get; init; }

    /// <summary>The request body as JSON text; null sends the JSON literal null.</summary>
    [Id(4)] public string? Body { get; init; }

    /// <summary>The project of the event, for its dead-letter index.</summary>
    [Id(5)] public string Project { get; init; } = "default";

    /// <summary>The event's <see cref="EventSpec.TraceParent"/>: the parent of the attempt's delivery span.</summary>
    [Id(6)] public string? TraceParent { get; init; }

    /// <summary>When the fire was due: its place in the line of a flow-control or ordering key.</summary>
    [Id(7)] public DateTimeOffset DueAt { get; init; }

    /// <summary>When the fire's event was created: the place among fires due at the same time.</summary>
    [Id(8)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The event's <see cref="EventSpec.OrderingKey"/>: the fire waits for its turn at that key.</summary>
    [Id(9)] public string? OrderingKey { get; init; }

    // The three below are derived, so never stored: the delivery grain's state holds its request.

    /// <summary>The Standard Webhooks message id, the same on every retry of one fire.</summary>
    [JsonIgnore]
    public string WebhookId => $"{EventId}.{Seq}";

    /// <summary>The delivery grain's key: one grain per fire and target.</summary>
    [JsonIgnore]
    public string DeliveryKey => DeliveryKeys.For(EventId, Seq, Target);

    /// <summary>This fire as it waits at a key.</summary>
    [JsonIgnore]
    public KeyedFire Keyed => new(DeliveryKey, DueAt, CreatedAt, EventId: EventId);
}
