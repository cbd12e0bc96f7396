using Orleans.Concurrency;

namespace Eventd.Grains.Interfaces;

/// <summary>One fire to one target, keyed <c>{eventId}/{seq}/{target}</c>.</summary>
[Alias("Eventd.IWebhookDeliveryGrain")]
public interface IWebhookDeliveryGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts (or resumes) the delivery in the background and returns at once. Idempotent:
    /// a delivery already running or finished is not sent again, a finished one reports again.
    /// </summary>
    [Alias("Deliver")]
    [AlwaysInterleave]
    Task Deliver(WebhookRequest request);

    /// <summary>
    /// Sends a finished delivery again with a fresh retry budget (its attempts so far stay
    /// listed). A delivery still under way is left alone.
    /// </summary>
    [Alias("Redeliver")]
    [AlwaysInterleave]
    Task Redeliver(WebhookRequest request);

    /// <summary>
    /// Takes over a fire whose first attempt, made by its event, failed: records that attempt and
    /// retries as the policy says (after the backoff, or the receiver's <paramref name="retryAfter"/>),
    /// or ends the delivery when the fire has no retries. A delivery already started is left alone.
    /// </summary>
    [Alias("TakeOver")]
    Task TakeOver(WebhookRequest request, DeliveryAttempt first, TimeSpan? retryAfter);

    /// <summary>
    /// The fire's event was cancelled: a delivery that has made no attempt and is not making one makes none
    /// (waiting at a key, it leaves it) and reports a <see cref="DeliveryResult.Withdrawn"/> result, at once
    /// or when its fire is handed to it; one with an attempt made or under way goes on. True when withdrawn.
    /// </summary>
    [Alias("Withdraw")]
    [AlwaysInterleave]
    Task<bool> Withdraw(int seq);

    /// <summary>A key this delivery waits at (flow control or ordering) lets it start: its wait ends.</summary>
    [Alias("Permit")]
    [AlwaysInterleave]
    Task Permit(string key);

    [Alias("GetAttempts")]
    [AlwaysInterleave]
    Task<IReadOnlyList<DeliveryAttempt>> GetAttempts();
}
