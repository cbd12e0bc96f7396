using Eventd.Grains.Events;
using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Flow;

/// <summary>
/// Hands the flow-control limits of events just created or updated to their keys: a key's limits are those
/// of the event created or updated last (API.md "Flow control").
/// </summary>
public static class FlowControlLimits
{
    /// <summary>Sets each key's limits once, to those of the last spec naming it. Specs without keys cost nothing.</summary>
    public static Task ConfigureAsync(IGrainFactory grains, IEnumerable<EventSpec> specs)
    {
        Dictionary<string, FlowControl>? last = null;
        foreach (var spec in specs)
        {
            foreach (var target in EventTargets.Of(spec))
            {
                if (target.Webhook.FlowControl is { } limits)
                {
                    last ??= new Dictionary<string, FlowControl>(StringComparer.Ordinal);
                    last[FlowControl.GrainKey(spec.Project, limits.Key)] = limits;
                }
            }
        }

        return last is null
            ? Task.CompletedTask
            : Task.WhenAll(last.Select(entry => grains.GetGrain<IFlowControlKeyGrain>(entry.Key).Configure(entry.Value)));
    }
}
