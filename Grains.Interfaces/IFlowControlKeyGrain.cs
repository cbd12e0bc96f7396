namespace Eventd.Grains.Interfaces;

/// <summary>
/// One flow-control key of one project, keyed <see cref="FlowControl.GrainKey"/>: it admits the attempts
/// of every silo under the key's limits, in due-time order, and tells a waiting delivery grain
/// (<see cref="IWebhookDeliveryGrain.Permit"/>) when its turn has come.
/// </summary>
[Alias("Eventd.IFlowControlKeyGrain")]
public interface IFlowControlKeyGrain : IGrainWithStringKey
{
    /// <summary>Sets the key's limits: those of the event (or trigger) created or updated last.</summary>
    [Alias("Configure")]
    Task Configure(FlowControl limits);

    /// <summary>
    /// Asks to start one attempt. True when it may start now (or already holds a place in flight); else it waits
    /// in line and is told by <see cref="IWebhookDeliveryGrain.Permit"/>. Asking again keeps its place.
    /// <paramref name="hold"/> bounds how long it may count as in flight without <see cref="Release"/>.
    /// </summary>
    [Alias("Acquire")]
    Task<bool> Acquire(KeyedFire fire, FlowControl limits, TimeSpan hold);

    /// <summary>The attempt of <paramref name="holder"/> has ended (or it no longer waits).</summary>
    [Alias("Release")]
    Task Release(string holder);

    /// <summary>The key's limits and counts; null for a key no event named.</summary>
    [Alias("Get")]
    Task<FlowControlView?> Get();
}

/// <summary>Reads the index of flow-control keys the key grains write (see <c>FlowControlIndex</c>).</summary>
[Alias("Eventd.IFlowControlListGrain")]
public interface IFlowControlListGrain : IGrainWithIntegerKey
{
    /// <summary>The names of the project's flow-control keys, in order.</summary>
    [Alias("Keys")]
    Task<IReadOnlyList<string>> Keys(string project);
}
