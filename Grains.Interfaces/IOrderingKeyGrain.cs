namespace Eventd.Grains.Interfaces;

/// <summary>
/// One ordering key of one project, keyed <see cref="FlowControl.GrainKey"/> (API.md "Ordering"): one fire
/// of the key delivers at a time, in due-time order (then creation order), from its first attempt until it
/// is delivered or dead-lettered; the next waiting delivery grain is told by <see cref="IWebhookDeliveryGrain.Permit"/>.
/// </summary>
[Alias("Eventd.IOrderingKeyGrain")]
public interface IOrderingKeyGrain : IGrainWithStringKey
{
    /// <summary>True when the fire holds the key now (or held it already); else it waits in line. Asking again keeps its place.</summary>
    [Alias("Acquire")]
    Task<bool> Acquire(KeyedFire fire);

    /// <summary>The fire of <paramref name="holder"/> has ended: the next in line takes the key.</summary>
    [Alias("Release")]
    Task Release(string holder);
}
