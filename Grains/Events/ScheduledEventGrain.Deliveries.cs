using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Events;

/// <summary>
/// How the event learns its fires' outcomes (see the class summary in ScheduledEventGrain.cs): each
/// target's delivery reports its end, a fire settles once all of its targets have, and a redelivery
/// makes the last fire pending again.
/// </summary>
public sealed partial class ScheduledEventGrain
{
    public async Task<RedeliverOutcome> Redeliver()
    {
        await ForgetIfExpiredAsync();
        if (S.Spec is null)
        {
            return RedeliverOutcome.NotFound;
        }

        var seq = S.FireCount;
        if (seq == 0 || EventTargets.Of(S.Spec).Count == 0)
        {
            return RedeliverOutcome.NothingToRedeliver;
        }

        if (S.PendingDeliveries.Contains(seq))
        {
            return RedeliverOutcome.AlreadyDelivering;
        }

        var targets = FanOutProgress.TakeForRedelivery(S, seq);

        // A settled event has left its bucket: the pending fire needs a membership again.
        S.AddPending(seq, Now + HandOffRetry.Recheck);
        S.UpdatedAt = Now;
        await CommitAsync(placeMembership: true);
        ArmNextOrRelease();

        await Task.WhenAll(targets.Select(target => Request(seq, target)).Select(request =>
            GrainFactory.GetGrain<IWebhookDeliveryGrain>(request.DeliveryKey).Redeliver(request)));
        return RedeliverOutcome.Redelivering;
    }

    public async Task CompleteDelivery(string target, DeliveryResult result)
    {
        await ForgetIfExpiredAsync();
        await SettleDeliveryAsync(target, result);
        ArmNextOrRelease();
    }

    private async Task SettleDeliveryAsync(string target, DeliveryResult result)
    {
        if (S.Spec is null || !S.PendingDeliveries.Contains(result.Seq) || !FanOutProgress.Targets(S, target))
        {
            return;
        }

        S.UpdatedAt = Now;
        if (FanOutProgress.Record(S, target, result) is not { } outcome)
        {
            // Other targets of the fire are still delivering: this one's result is kept meanwhile.
            await CommitAsync(placeMembership: false);
            return;
        }

        S.RemovePending(result.Seq);
        if (S.LastDelivery is null || S.LastDelivery.Seq <= result.Seq)
        {
            S.LastDelivery = outcome;
        }

        // A repeating event waited in its bucket for the delivery; it waits for its next fire now.
        await CommitAsync(placeMembership: S.NextFireAt is not null && S.PendingDeliveries.Count == 0);

        if (S.PendingDeliveries.Count == 0 && S.BufferedSlot is { } buffered && !S.Paused && !S.Cancelled)
        {
            // overlap: bufferOne — the slot that came due while this fire was delivering fires now.
            S.BufferedSlot = null;
            await FireAsync(buffered, Now);
        }
    }

    private WebhookRequest Request(int seq, NamedWebhook target) =>
        EventTargets.Request(Id, S.Spec!, seq, target, S.LastDueAt ?? S.CreatedAt, S.CreatedAt);
}
