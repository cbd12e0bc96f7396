using Eventd.Grains.Endpoints;
using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Delivery;

/// <summary>One attempt as sent, and the wait the receiver asked for before the next.</summary>
public sealed record AttemptOutcome(DeliveryAttempt Attempt, TimeSpan? RetryAfter)
{
    public bool Succeeded => Attempt.Succeeded;

    /// <summary>No request was made: the endpoint is disabled, so no retry is either.</summary>
    public bool Refused => EndpointGate.IsRefusal(Attempt);
}
