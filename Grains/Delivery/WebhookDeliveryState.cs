using System.Text.Json.Serialization;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Retention;

namespace Eventd.Grains.Delivery;

/// <summary>The persisted state of one fire to one target (stored as JSON in Redis).</summary>
public sealed class WebhookDeliveryState : ISettlingState
{
    /// <summary>The grain state's name in storage (part of its Redis key).</summary>
    public const string Name = "delivery";

    public WebhookRequest? Request { get; set; }
    public List<DeliveryAttempt> Attempts { get; set; } = [];

    /// <summary>Where the current retry budget starts in <see cref="Attempts"/>: a redelivery gets a fresh one.</summary>
    public int BudgetStart { get; set; }

    /// <summary>When the next attempt is due, for waits too long to sit out in memory.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>True while a "retry" reminder may be registered, so it is removed once done.</summary>
    public bool HasRetryReminder { get; set; }

    /// <summary>Set with the attempt that ended the delivery; null while attempts remain.</summary>
    public DeliveryResult? Result { get; set; }

    /// <summary>Settled once it has its result; a redelivery clears the result, and so the expiry.</summary>
    [JsonIgnore]
    public Settlement? Settlement => Result is { } result ? new(result.At, !result.Succeeded) : null;

    /// <summary>Attempts made within the current budget (all of them failed, or the delivery would be over).</summary>
    [JsonIgnore]
    public int AttemptsInBudget => Attempts.Count - BudgetStart;
}
