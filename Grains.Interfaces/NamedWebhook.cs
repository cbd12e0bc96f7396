namespace Eventd.Grains.Interfaces;

/// <summary>
/// One webhook of a fan-out (a Space Cloud trigger of the queued event's type), delivered by its own
/// delivery grain, <c>{eventId}/{seq}/{name}</c>, with its own retries and timeout.
/// </summary>
[GenerateSerializer, Immutable, Alias("Eventd.NamedWebhook")]
public sealed record NamedWebhook([property: Id(0)] string Name, [property: Id(1)] WebhookTarget Webhook);
