using Eventd.Grains.Endpoints;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Storage;

namespace Eventd.Grains.Delivery;

/// <summary>
/// The first attempt of a fire, made by its event grain in the turn that fired it. Most receivers
/// answer 2xx at once, and handing every fire to its own delivery grain cost a second activation,
/// its state read and write, and four grain messages: about half of a fire's silo CPU. A delivered
/// attempt is recorded where the fire's delivery grain keeps its attempts, as that grain's first state
/// (<see cref="FirstStates"/>), without activating it, so the deliveries list shows it; a failed one is handed to the
/// delivery grain, which retries it.
/// </summary>
public sealed class FirstAttempt(EndpointGate gate, IGrainFactory grains, FirstStates firstStates)
{
    /// <summary>The longest attempt an event holds its turn for; a webhook allowed longer goes to its delivery grain.</summary>
    public static readonly TimeSpan LongestInline = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long an attempt made in the event's turn may run before the status index lists the event as
    /// delivering. Most end sooner, and then the index moves once, from scheduled straight to the end
    /// (for a repeating event, not at all): a move (a script of four set writes) saved per fire. A second,
    /// not less: on a busy silo attempts wait for threads, and a shorter grace spent the move on most.
    /// </summary>
    public static readonly TimeSpan IndexGrace = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether the event may make the attempt itself: calls to the event (update, cancel) wait for
    /// it, and so would its next fire, so it must be short and end before the next fire is due.
    /// </summary>
    public static bool Suits(WebhookRequest request, DateTimeOffset? nextDue, DateTimeOffset now)
    {
        var longest = TimeSpan.FromMilliseconds(request.Webhook.TimeoutMs);
        // A keyed attempt may have to wait its turn, which is the delivery grain's to sit out.
        var keyed = request.Webhook.FlowControl is not null || request.OrderingKey is not null;
        return !keyed && longest <= LongestInline && (nextDue is not { } due || due - now > longest);
    }

    /// <summary>
    /// Sends the attempt. Returns the delivery's result when the attempt ended it, or null when the
    /// fire's delivery grain has it now and reports its end to the event.
    /// </summary>
    public async Task<DeliveryResult?> SendAsync(WebhookRequest request)
    {
        var outcome = await gate.SendAsync(request, attempt: 1, CancellationToken.None);
        var delivery = grains.GetGrain<IWebhookDeliveryGrain>(request.DeliveryKey);
        if (!outcome.Succeeded)
        {
            await delivery.TakeOver(request, outcome.Attempt, outcome.RetryAfter);
            return null;
        }

        var result = DeliveryResult.After(outcome.Attempt, attempts: 1);
        var record = new WebhookDeliveryState { Request = request, Attempts = [outcome.Attempt], Result = result };
        if (!await firstStates.TryWriteAsync(WebhookDeliveryState.Name, delivery.GetGrainId(), record))
        {
            // The fire has a record already, its delivery grain's: that record stands, and the grain reports.
            await delivery.Deliver(request);
            return null;
        }

        return result;
    }
}
