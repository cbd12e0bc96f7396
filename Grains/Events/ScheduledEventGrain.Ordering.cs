using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace Eventd.Grains.Events;

/// <summary>
/// How the event keeps its ordering key told of its next fire (see the class summary in
/// ScheduledEventGrain.cs and <see cref="IOrderingKeyGrain.Expect"/>): after each commit that changes which
/// fire comes next, or the key, the key learns it; a cancelled, paused or settled event is forgotten.
/// </summary>
public sealed partial class ScheduledEventGrain
{
    /// <summary>What the ordering key was last told by this activation; not <c>Known</c> until it has told it once.</summary>
    private OrderingTold _orderingTold = OrderingTold.Unknown(null);

    /// <summary>The key and the due time of the event's next fire at it: the fire being delivered until it has its result.</summary>
    private OrderingTold OrderingNow()
    {
        var key = S.Spec?.OrderingKey;
        DateTimeOffset? due = key is null || S.Cancelled ? null
            : S.PendingDeliveries.Count > 0 ? S.LastDueAt
            : S.Paused ? null
            : S.NextFireAt;
        return new OrderingTold(key, due, Known: true);
    }

    /// <summary>
    /// Tells the ordering key (and a key the event left) what changed. A failure costs only strictness: the fire
    /// arrives unannounced and is ordered as it arrives; the next commit tells it again.
    /// </summary>
    private async Task TellOrderingKeyAsync()
    {
        var now = OrderingNow();
        if (now == _orderingTold || (now.Key is null && _orderingTold.Key is null))
        {
            return;
        }

        try
        {
            if (_orderingTold.Key is { } left && left != now.Key)
            {
                await OrderingKey(left).Forget(Id);
            }

            if (now.Key is { } key)
            {
                await (now.DueAt is { } due
                    ? OrderingKey(key).Expect([new ExpectedFire(Id, due, S.CreatedAt)])
                    : OrderingKey(key).Forget(Id));
            }

            _orderingTold = now;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _orderingTold = OrderingTold.Unknown(_orderingTold.Key);
            LogOrderingNotTold(logger, ex, Id);
        }
    }

    private IOrderingKeyGrain OrderingKey(string key) => GrainFactory.GetGrain<IOrderingKeyGrain>(FlowControl.GrainKey(S.Spec!.Project, key));

    private sealed record OrderingTold(string? Key, DateTimeOffset? DueAt, bool Known)
    {
        /// <summary>Nothing told yet; <paramref name="key"/> is the key the event may have been expected at.</summary>
        public static OrderingTold Unknown(string? key) => new(key, null, Known: false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} could not tell its ordering key of its next fire; it tells it again at its next change")]
    private static partial void LogOrderingNotTold(ILogger logger, Exception exception, string eventId);
}
