using Eventd.Grains.Interfaces;
using Orleans.Concurrency;

namespace Eventd.Grains.Endpoints;

/// <summary>Reads the endpoint index (see <see cref="EndpointIndex"/>).</summary>
[StatelessWorker]
[Reentrant] // Reads only.
public sealed class EndpointListGrain(EndpointIndex index) : Grain, IEndpointListGrain
{
    public Task<IReadOnlyList<EndpointView>> List(string project) => index.ListAsync(project);

    public Task<long> DisabledCount() => index.DisabledCountAsync();
}
