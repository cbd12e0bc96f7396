using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Flow;

/// <summary>
/// The persisted part of a flow-control key: its limits. Who waits and who is in flight lives in memory:
/// a waiting delivery asks again within <see cref="KeyPermits.Recheck"/>, so a key moved to another silo
/// learns its line again from the deliveries themselves.
/// </summary>
public sealed class FlowControlState
{
    public const string Name = "flowcontrol";

    public FlowControl? Limits { get; set; }
}
