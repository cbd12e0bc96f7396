using Eventd.Grains.Interfaces;
using Orleans.Concurrency;

namespace Eventd.Grains.Flow;

/// <summary>Reads the flow-control key index (see <see cref="FlowControlIndex"/>).</summary>
[StatelessWorker]
[Reentrant] // Reads only.
public sealed class FlowControlListGrain(FlowControlIndex index) : Grain, IFlowControlListGrain
{
    public Task<IReadOnlyList<string>> Keys(string project) => index.ListAsync(project);
}
