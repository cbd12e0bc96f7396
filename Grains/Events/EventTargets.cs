using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Events;

/// <summary>
/// The webhooks an event's fires go to, each by its target name: a fan-out's triggers, or the one
/// webhook of an Eventd v1 event (target <see cref="DeliveryKeys.Webhook"/>), or none (a channel only).
/// </summary>
public static class EventTargets
{
    public static IReadOnlyList<NamedWebhook> Of(EventSpec spec) =>
        spec.Targets ?? (spec.Webhook is { } webhook ? [new NamedWebhook(DeliveryKeys.Webhook, webhook)] : []);

    /// <summary>The request that delivers fire <paramref name="seq"/> of event <paramref name="eventId"/> to <paramref name="target"/>.</summary>
    public static WebhookRequest Request(string eventId, EventSpec spec, int seq, NamedWebhook target, DateTimeOffset dueAt, DateTimeOffset createdAt) => new()
    {
        EventId = eventId,
        Seq = seq,
        Target = target.Name,
        Webhook = target.Webhook,
        Body = spec.Data,
        Project = spec.Project,
        TraceParent = spec.TraceParent,
        DueAt = dueAt,
        CreatedAt = createdAt,
        OrderingKey = spec.OrderingKey,
    };
}
