using System.Security.Cryptography;
using System.Text;

namespace Eventd.Gateway.SpaceCloud;

/// <summary>
/// The id of the Eventd event that delivers a queued Space Cloud event to one trigger: derived from the
/// queued event's id and the trigger's name (32 hex, the first half of a SHA-256), so queuing the same
/// event again (a re-run under its <c>Idempotency-Key</c>) lands on the events the first run made.
/// </summary>
public static class TriggerDeliveryIds
{
    public static string Of(string queuedId, string trigger) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"eventd/spacecloud-delivery\n{queuedId}\n{trigger}")), 0, 16);
}
