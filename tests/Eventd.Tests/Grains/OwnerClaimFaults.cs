using System.Collections.Concurrent;
using Eventd.Grains.Interfaces;

namespace Eventd.Tests.Grains;

/// <summary>
/// Makes chosen owner claims fail, as when the owner grain's silo or its Redis node refuses the write: the
/// call from the logged-event grain is rejected before it reaches the owner. An outgoing call filter of the
/// test cluster's silos.
/// </summary>
public sealed class OwnerClaimFaults : IOutgoingGrainCallFilter
{
    private static readonly ConcurrentDictionary<string, bool> s_rejected = new(StringComparer.Ordinal);

    /// <summary>Rejects every claim of the owner of <paramref name="eventKey"/>.</summary>
    public static void Reject(string eventKey) => s_rejected[eventKey] = true;

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType == typeof(IEventOwnerGrain)
            && context.InterfaceMethod.Name == nameof(IEventOwnerGrain.Claim)
            && context.TargetId.Key.ToString() is { } key
            && s_rejected.ContainsKey(key))
        {
            throw new SiloUnavailableException($"test: the owner claim of event {key} was rejected");
        }

        return context.Invoke();
    }
}
