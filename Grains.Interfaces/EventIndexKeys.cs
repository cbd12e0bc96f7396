namespace Eventd.Grains.Interfaces;

/// <summary>
/// The Redis index of events: one sorted set per project, member the event id, score its
/// creation time in ms. Written by the event grain, read by the gateway's list route.
/// </summary>
public static class EventIndexKeys
{
    public static string ByCreation(string serviceId, string project) => $"{serviceId}/events/{project}";
}
