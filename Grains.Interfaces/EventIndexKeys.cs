namespace Eventd.Grains.Interfaces;

/// <summary>
/// The Redis index of events: one sorted set per project, member the event id, score its
/// creation time in ms. Written by the event grain, read by the gateway's list route.
/// </summary>
public static class EventIndexKeys
{
    public static string ByCreation(string serviceId, string project) => $"{serviceId}/events/{project}";

    /// <summary>
    /// Every project's events in one index, for callers that reach every project. <c>*</c> is never a
    /// project's name (names are letters, digits, '_' and '-'), so the key is no project's.
    /// </summary>
    public static string EveryProject(string serviceId) => ByCreation(serviceId, ProjectNames.Every);
}
