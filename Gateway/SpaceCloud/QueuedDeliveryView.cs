using Eventd.Gateway.Endpoints;
using Eventd.Grains.Interfaces;

namespace Eventd.Gateway.SpaceCloud;

/// <summary>One trigger's share of a queued event as <c>GET …/eventing/events/{id}</c> shows it, read from the event's target results.</summary>
public static class QueuedDeliveryView
{
    public static SpaceCloudEndpoints.DeliveryJson Of(EventView view, string trigger)
    {
        if (view.TargetResults.GetValueOrDefault(trigger) is { } result)
        {
            return new(trigger, result.Succeeded ? "delivered" : "failed", result.Attempts, result.StatusCode);
        }

        // No result yet: the trigger's delivery is under way once the event has fired, else it waits with the event.
        var status = view.Status == EventStatus.Cancelled ? EventStatus.Cancelled
            : view.FireCount > 0 ? EventStatus.Delivering
            : EventStatus.Scheduled;
        return new(trigger, EventJson.StatusName(status), Attempts: 0, StatusCode: null);
    }
}
