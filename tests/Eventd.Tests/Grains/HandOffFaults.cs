using System.Collections.Concurrent;
using Eventd.Grains.Interfaces;

namespace Eventd.Tests.Grains;

/// <summary>
/// Makes chosen hand-offs to delivery grains fail as they do when the delivery grain's silo has just
/// died: the call from the event is rejected before it reaches the delivery grain. An outgoing call
/// filter of the test cluster's silos.
/// </summary>
public sealed class HandOffFaults : IOutgoingGrainCallFilter
{
    private static readonly ConcurrentDictionary<string, int> s_rejections = new(StringComparer.Ordinal);

    /// <summary>Rejects the next <paramref name="times"/> calls that hand fire <paramref name="seq"/> of the event to its delivery grain for <paramref name="target"/>.</summary>
    public static void Reject(string eventId, int seq, int times = 1, string target = DeliveryKeys.Webhook) =>
        s_rejections[DeliveryKeys.For(eventId, seq, target)] = times;

    /// <summary>How many of the chosen rejections have not happened yet.</summary>
    public static int Remaining(string eventId, int seq, string target = DeliveryKeys.Webhook) =>
        s_rejections.TryGetValue(DeliveryKeys.For(eventId, seq, target), out var left) ? left : 0;

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType == typeof(IWebhookDeliveryGrain)
            && context.InterfaceMethod.Name is nameof(IWebhookDeliveryGrain.Deliver) or nameof(IWebhookDeliveryGrain.TakeOver)
            && context.TargetId.Key.ToString() is { } key
            && TryTake(key))
        {
            throw new SiloUnavailableException($"test: the hand-off to delivery {key} was rejected");
        }

        return context.Invoke();
    }

    private static bool TryTake(string key)
    {
        while (s_rejections.TryGetValue(key, out var left) && left > 0)
        {
            if (s_rejections.TryUpdate(key, left - 1, left))
            {
                return true;
            }
        }

        return false;
    }
}
