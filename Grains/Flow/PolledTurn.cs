using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Flow;

/// <summary>
/// A turn at a flow-control key for a caller that cannot be told (a synchronous attempt, whose caller waits on
/// it): it asks every 50 ms, keeping its place in line, until its start is granted fresh or it gives up.
/// </summary>
public static class PolledTurn
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(50);

    /// <summary>True once the fire may start; false after <paramref name="longest"/>, when it has left the line.</summary>
    public static async Task<bool> WaitAsync(IFlowControlKeyGrain key, KeyedFire fire, FlowControl limits, TimeSpan hold, TimeSpan longest, TimeProvider time)
    {
        var giveUpAt = time.GetUtcNow() + longest;
        while (true)
        {
            var granted = await key.Acquire(fire, limits, hold);
            if (granted is { } at && time.GetUtcNow() - at <= KeyPermits.PermitFresh)
            {
                return true;
            }

            if (granted is not null)
            {
                // Granted while this caller slept between asks, too long ago to send now (see KeyPermits.PermitFresh).
                await key.Requeue(fire);
                continue;
            }

            if (time.GetUtcNow() >= giveUpAt)
            {
                await key.Release(fire.Holder);
                return false;
            }

            await Task.Delay(Every, time);
        }
    }
}
