using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Delivery;

/// <summary>The persisted state of one fire to one target (stored as JSON in Redis).</summary>
public sealed class WebhookDeliveryState
{
    public WebhookRequest? Request { get; set; }
    public List<DeliveryAttempt> Attempts { get; set; } = [];

    /// <summary>Set with the attempt that ended the delivery; null while attempts remain.</summary>
    public DeliveryResult? Result { get; set; }
}
