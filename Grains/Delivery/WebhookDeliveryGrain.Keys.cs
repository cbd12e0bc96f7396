using Eventd.Grains.Flow;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace Eventd.Grains.Delivery;

/// <summary>
/// How the delivery waits at its keys (see the class summary in WebhookDeliveryGrain.cs): an ordering key
/// for the whole delivery, from its first attempt to its result; a flow-control key for each attempt. A
/// fire over a key's limits waits here, never as a failed attempt; the key tells it when its turn has come
/// (<see cref="Permit"/>), and it asks again every <see cref="KeyPermits.Recheck"/> meanwhile.
/// </summary>
public sealed partial class WebhookDeliveryGrain
{
    private TaskCompletionSource? _permit;

    public Task Permit(string key)
    {
        _permit?.TrySetResult();
        return Task.CompletedTask;
    }

    /// <summary>Waits until the fire holds its ordering key, when it has one.</summary>
    private Task TakeOrderingTurnAsync(WebhookRequest request, CancellationToken cancellationToken) =>
        request.OrderingKey is { } key
            ? WaitForTurnAsync(() => OrderingKey(request, key).Acquire(request.Keyed), cancellationToken)
            : Task.CompletedTask;

    /// <summary>Lets the next fire of the ordering key go: this one has its result.</summary>
    private Task LeaveOrderingKeyAsync(WebhookRequest request) =>
        request.OrderingKey is { } key ? OrderingKey(request, key).Release(Key) : Task.CompletedTask;

    /// <summary>Waits until the flow-control key lets one attempt start, when the webhook has one.</summary>
    private async Task StartUnderFlowControlAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        if (request.Webhook.FlowControl is not { } limits)
        {
            return;
        }

        var key = FlowKey(request, limits);
        var hold = TimeSpan.FromMilliseconds(request.Webhook.TimeoutMs) + KeyPermits.HoldMargin;
        await WaitForTurnAsync(() => key.Acquire(request.Keyed, limits, hold), cancellationToken);
    }

    /// <summary>Ends the attempt's place in flight; a release lost here ends with its hold instead.</summary>
    private async Task EndUnderFlowControlAsync(WebhookRequest request)
    {
        if (request.Webhook.FlowControl is not { } limits)
        {
            return;
        }

        try
        {
            await FlowKey(request, limits).Release(Key);
        }
        catch (Exception ex)
        {
            LogReleaseFailed(logger, ex, Key, limits.Key);
        }
    }

    private async Task WaitForTurnAsync(Func<Task<bool>> ask, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Set before asking: the key may grant the turn to us before its answer reaches us.
            var permit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _permit = permit;
            if (await ask())
            {
                return;
            }

            try
            {
                await permit.Task.WaitAsync(KeyPermits.Recheck, time, cancellationToken);
                return;
            }
            catch (TimeoutException)
            {
                // Ask again: the place in line is kept, and a permit lost on the way is found so.
            }
            finally
            {
                _permit = null;
            }
        }
    }

    private IOrderingKeyGrain OrderingKey(WebhookRequest request, string key) =>
        GrainFactory.GetGrain<IOrderingKeyGrain>(FlowControl.GrainKey(request.Project, key));

    private IFlowControlKeyGrain FlowKey(WebhookRequest request, FlowControl limits) =>
        GrainFactory.GetGrain<IFlowControlKeyGrain>(FlowControl.GrainKey(request.Project, limits.Key));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryKey} could not report its attempt's end to flow-control key {FlowKey}; its hold there runs out instead")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string deliveryKey, string flowKey);
}
