using Eventd.Grains.Flow;
using Eventd.Grains.Interfaces;
using Orleans.Concurrency;

namespace Eventd.Grains.Delivery;

/// <summary>
/// One synchronous attempt, made on whichever silo takes the call; it holds no state. A webhook with a
/// flow-control key waits for its turn there first, as every attempt under the key does.
/// </summary>
[StatelessWorker]
[Reentrant] // An attempt waits on the network; without interleaving a silo would send only as many at once as it has workers.
public sealed class SyncWebhookGrain(WebhookSender sender, TimeProvider time) : Grain, ISyncWebhookGrain
{
    /// <summary>How often a waiting synchronous attempt asks its key again: its caller is waiting.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest a synchronous attempt waits for its key's turn; its caller gives the whole call 70 s.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(30);

    /// <summary>What of the caller's 70 s the wait and the attempt may take together.</summary>
    private static readonly TimeSpan CallBudget = TimeSpan.FromSeconds(65);

    public async Task<SyncAnswer> Send(WebhookRequest request)
    {
        if (request.Webhook.FlowControl is not { } limits)
        {
            return await sender.SendForAnswerAsync(request, CancellationToken.None);
        }

        var key = GrainFactory.GetGrain<IFlowControlKeyGrain>(FlowControl.GrainKey(request.Project, limits.Key));
        var fire = request.Keyed with { Polls = true };
        var hold = TimeSpan.FromMilliseconds(request.Webhook.TimeoutMs) + KeyPermits.HoldMargin;
        var budget = CallBudget - TimeSpan.FromMilliseconds(request.Webhook.TimeoutMs);
        var longest = budget < LongestWait ? budget : LongestWait;
        var giveUpAt = time.GetUtcNow() + longest;
        while (!await key.Acquire(fire, limits, hold))
        {
            if (time.GetUtcNow() >= giveUpAt)
            {
                await key.Release(fire.Holder);
                return new SyncAnswer { Error = $"flow-control key {limits.Key}: no turn within {longest.TotalSeconds:0} s" };
            }

            await Task.Delay(Poll, time);
        }

        try
        {
            return await sender.SendForAnswerAsync(request, CancellationToken.None);
        }
        finally
        {
            await key.Release(fire.Holder);
        }
    }
}
