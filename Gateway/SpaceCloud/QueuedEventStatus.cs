namespace Eventd.Gateway.SpaceCloud;

/// <summary>The status of a queued event from its deliveries' statuses (the Eventd v1 status names).</summary>
public static class QueuedEventStatus
{
    /// <summary>
    /// <c>delivered</c> when every delivery is (and when there are none); <c>failed</c> when any failed
    /// (or was cancelled) and none is still scheduled or delivering; else <c>delivering</c> when any
    /// is; else <c>scheduled</c>.
    /// </summary>
    public static string Of(IReadOnlyCollection<string> statuses)
    {
        if (statuses.All(s => s == "delivered"))
        {
            return "delivered";
        }

        if (statuses.Any(s => s is "failed" or "cancelled") && !statuses.Any(s => s is "scheduled" or "delivering"))
        {
            return "failed";
        }

        return statuses.Contains("delivering") ? "delivering" : "scheduled";
    }
}
