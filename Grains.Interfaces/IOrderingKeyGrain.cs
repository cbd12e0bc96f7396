namespace Eventd.Grains.Interfaces;

/// <summary>
/// One ordering key of one project, keyed <see cref="FlowControl.GrainKey"/> (API.md "Ordering"): one fire
/// of the key delivers at a time, in due-time order (then creation order), from its first attempt until it
/// is delivered or dead-lettered; the next waiting delivery grain is told by <see cref="IWebhookDeliveryGrain.Permit"/>.
/// The key knows each event's next fire before it is due (<see cref="Expect"/>), so a fire that arrives late
/// still goes before those due after it.
/// </summary>
[Alias("Eventd.IOrderingKeyGrain")]
public interface IOrderingKeyGrain : IGrainWithStringKey
{
    /// <summary>True when the fire holds the key now (or held it already); else it waits in line. Asking again keeps its place.</summary>
    [Alias("Acquire")]
    Task<bool> Acquire(KeyedFire fire);

    /// <summary>The next fire of each event is due as given (an event already expected moves to its new time).</summary>
    [Alias("Expect")]
    Task Expect(IReadOnlyList<ExpectedFire> fires);

    /// <summary>The event has no fire coming at this key (cancelled, paused, settled, or moved to another key).</summary>
    [Alias("Forget")]
    Task Forget(string eventId);

    /// <summary>The fire of <paramref name="holder"/> has ended: the next in line takes the key.</summary>
    [Alias("Release")]
    Task Release(string holder);
}
