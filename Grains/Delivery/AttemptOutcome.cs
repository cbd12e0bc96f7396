using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Delivery;

/// <summary>One attempt as sent, and the wait the receiver asked for before the next.</summary>
public sealed record AttemptOutcome(DeliveryAttempt Attempt, TimeSpan? RetryAfter)
{
    public bool Succeeded => Attempt.Succeeded;
}
