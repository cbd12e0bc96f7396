using Eventd.Grains.Delivery;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace Eventd.Grains.Events;

/// <summary>
/// Hands an event's fires to delivery: the first attempt made in the event's own turn when it suits
/// (see <see cref="FirstAttempt"/>), else the fire's delivery grain. Never throws: a hand-off that
/// failed (the delivery grain's silo died, a call timed out) is answered as such, and the event,
/// which still counts the fire as pending, retries it (see <see cref="HandOffRetry"/>).
/// </summary>
public sealed partial class FireHandOff(FirstAttempt firstAttempt, IGrainFactory grains, ILogger<FireHandOff> logger)
{
    /// <summary>A fire's first hand-off: its result when an attempt made here ended the delivery.</summary>
    public async Task<HandOffOutcome> FirstAsync(WebhookRequest request, bool inline)
    {
        if (!inline)
        {
            return await AgainAsync(request) ? HandOffOutcome.Delivering : HandOffOutcome.Failed;
        }

        try
        {
            var result = await firstAttempt.SendAsync(request);
            return result is null ? HandOffOutcome.Delivering : new HandOffOutcome(Handed: true, result);
        }
        catch (Exception ex)
        {
            // Sent or not, the attempt is not recorded anywhere: the retry hands the fire to its
            // delivery grain, which may send it again under the same webhook-id (at least once).
            LogFailed(logger, ex, request.EventId, request.Seq);
            return HandOffOutcome.Failed;
        }
    }

    /// <summary>
    /// Hands the fire to its delivery grain; false when that failed. Idempotent: a delivery under way
    /// carries on, a finished one reports its result to the event again.
    /// </summary>
    public async Task<bool> AgainAsync(WebhookRequest request)
    {
        try
        {
            await grains.GetGrain<IWebhookDeliveryGrain>(request.DeliveryKey).Deliver(request);
            return true;
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, request.EventId, request.Seq);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} could not hand fire #{Seq} to delivery; the event retries within seconds")]
    private static partial void LogFailed(ILogger logger, Exception exception, string eventId, int seq);
}

/// <summary>What a fire's first hand-off came to: whether delivery has it, and its result when already over.</summary>
public readonly record struct HandOffOutcome(bool Handed, DeliveryResult? Result = null)
{
    /// <summary>The fire's delivery grain has it and reports its end to the event.</summary>
    public static HandOffOutcome Delivering => new(Handed: true);

    public static HandOffOutcome Failed => new(Handed: false);
}
