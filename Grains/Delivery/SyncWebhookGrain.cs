using Eventd.Grains.Interfaces;
using Orleans.Concurrency;

namespace Eventd.Grains.Delivery;

/// <summary>One synchronous attempt, made on whichever silo takes the call; it holds no state.</summary>
[StatelessWorker]
[Reentrant] // An attempt waits on the network; without interleaving a silo would send only as many at once as it has workers.
public sealed class SyncWebhookGrain(WebhookSender sender) : Grain, ISyncWebhookGrain
{
    public Task<SyncAnswer> Send(WebhookRequest request) => sender.SendForAnswerAsync(request, CancellationToken.None);
}
