using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Events;

public sealed partial class ScheduledEventGrain
{
    /// <summary>
    /// A silo that stops gracefully deactivates every activation, and an armed timer dies with its
    /// activation: left alone, the fire would wait for its bucket's sweep, seconds after its due time.
    /// The wake sent here waits behind this deactivation and is then forwarded to a new activation on a
    /// silo that stays (a stopping silo takes no new activations), which arms the timer again at once.
    /// </summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (reason.ReasonCode == DeactivationReasonCode.ShuttingDown && _timer is not null && S.Bucket is { } bucket)
        {
            // One-way: awaiting a call to this very activation would wait for its own deactivation.
            _ = GrainFactory.GetGrain<IScheduledEventGrain>(Id).Wake(bucket);
        }

        return Task.CompletedTask;
    }
}
