namespace Eventd.Grains.Interfaces;

/// <summary>
/// One trigger's share of a queued Space Cloud event: the Eventd event that delivers it, or, for a
/// synchronous queue (no Eventd event), the outcome of its single attempt.
/// </summary>
[GenerateSerializer, Immutable, Alias("Eventd.QueuedDelivery")]
public sealed record QueuedDelivery(
    [property: Id(0)] string Trigger,
    [property: Id(1)] string? EventId,
    [property: Id(2)] string? Status = null,
    [property: Id(3)] int? StatusCode = null,
    [property: Id(4)] int Attempts = 0);

/// <summary>A queued Space Cloud event as recorded for reading back: its id, type, when it was queued and its deliveries.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.QueuedEvent")]
public sealed record QueuedEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] DateTimeOffset QueuedAt,
    [property: Id(3)] IReadOnlyList<QueuedDelivery> Deliveries);
