using Eventd.Grains.Interfaces;

namespace Eventd.Gateway.SpaceCloud;

/// <summary>Where the gateway records and reads queued Space Cloud events: one grain each, keyed by project and id.</summary>
public sealed class QueuedEvents(Func<IGrainFactory> grains)
{
    public Task AddAsync(string project, QueuedEvent queued) => Of(project, queued.Id).Record(queued);

    public Task<QueuedEvent?> GetAsync(string project, string id) => Of(project, id).Get();

    // Project names hold no '/' (they are checked against their rule first), so the key splits one way.
    private IQueuedEventGrain Of(string project, string id) => grains().GetGrain<IQueuedEventGrain>($"{project}/{id}");
}
