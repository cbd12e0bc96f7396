using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Delivery;

/// <summary>
/// How a fire is withdrawn when its event is cancelled (see the class summary in WebhookDeliveryGrain.cs and
/// <see cref="IWebhookDeliveryGrain.Withdraw"/>): a delivery that has made no attempt stops where it waits (at
/// its keys) and makes none; from the moment an attempt is committed to being sent, it goes on.
/// </summary>
public sealed partial class WebhookDeliveryGrain
{
    /// <summary>Withdrawn before its first attempt: the run stops at its next step.</summary>
    private bool _withdrawn;

    /// <summary>True once an attempt is committed to being sent (see <see cref="CommitToSend"/>): too late to withdraw.</summary>
    private bool _sending;

    /// <summary>The run's waits (at its keys), cancelled by a withdrawal.</summary>
    private CancellationTokenSource? _runWaits;

    public async Task<bool> Withdraw(int seq)
    {
        if (_withdrawn || S.Result is { Withdrawn: true })
        {
            return true;
        }

        if (S.Result is not null || S.Attempts.Count > 0 || _sending)
        {
            return false;
        }

        _withdrawn = true;
        if (_running)
        {
            // The run waits at a key, or is about to: it stops there and settles the withdrawal itself.
            await (_runWaits?.CancelAsync() ?? Task.CompletedTask);
            return true;
        }

        // Not started, or not even handed its fire yet: the result waits for the run that reports it.
        S.Result = DeliveryResult.WithdrawnAt(seq, Now);
        await state.WriteStateAsync();
        if (S.Request is not null)
        {
            ScheduleRun();
        }

        return true;
    }

    /// <summary>Called just before an attempt is sent: throws when the fire was withdrawn before its first attempt.</summary>
    private void CommitToSend()
    {
        if (_withdrawn && S.Attempts.Count == 0)
        {
            throw new OperationCanceledException("The fire was withdrawn before its first attempt.");
        }

        _sending = true;
    }

    /// <summary>Leaves the keys the run waited at and reports the withdrawn result (never a dead letter).</summary>
    private async Task SettleWithdrawnAsync(WebhookRequest request)
    {
        await EndUnderFlowControlAsync(request);
        S.Result = DeliveryResult.WithdrawnAt(request.Seq, Now);
        await state.WriteStateAsync();
        await ReportAsync(request, S.Result);
    }
}
