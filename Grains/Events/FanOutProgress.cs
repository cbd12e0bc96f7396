using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Events;

/// <summary>
/// Where a pending fire stands with each of its targets. A fire is pending until every target's
/// delivery has reported; an event with one webhook needs no bookkeeping for that (its one report ends
/// the fire), a fan-out keeps each target's last result (<see cref="ScheduledEventState.TargetResults"/>).
/// </summary>
public static class FanOutProgress
{
    /// <summary>The targets whose delivery of pending fire <paramref name="seq"/> has not reported yet.</summary>
    public static IEnumerable<NamedWebhook> Unreported(ScheduledEventState state, int seq) =>
        EventTargets.Of(state.Spec!).Where(target => !HasReported(state, target.Name, seq));

    /// <summary>
    /// Records <paramref name="target"/>'s result. Returns the fire's outcome once every target has
    /// reported — a failed target's result if any failed, so the event reads <c>failed</c> — else null.
    /// </summary>
    public static DeliveryResult? Record(ScheduledEventState state, string target, DeliveryResult result)
    {
        if (state.Spec!.Targets is null)
        {
            return result;
        }

        state.TargetResults ??= [];
        if (state.TargetResults.GetValueOrDefault(target) is not { } known || known.Seq <= result.Seq)
        {
            state.TargetResults[target] = result;
        }

        if (Unreported(state, result.Seq).Any())
        {
            return null;
        }

        return state.TargetResults.Values
            .Where(r => r.Seq == result.Seq)
            .OrderBy(r => r.Succeeded)
            .ThenByDescending(r => r.At)
            .First();
    }

    /// <summary>
    /// The targets a redelivery of fire <paramref name="seq"/> sends again: a fan-out's failed ones (all
    /// of them when none failed), the one webhook otherwise. Their results are forgotten, so the fire is
    /// pending on them until they report again.
    /// </summary>
    public static IReadOnlyList<NamedWebhook> TakeForRedelivery(ScheduledEventState state, int seq)
    {
        var targets = EventTargets.Of(state.Spec!);
        if (seq == 0 || state.TargetResults is not { } results)
        {
            return seq == 0 ? [] : targets;
        }

        var failed = targets.Where(t => results.GetValueOrDefault(t.Name) is { Succeeded: false }).ToList();
        var again = failed.Count > 0 ? failed : targets;
        foreach (var target in again)
        {
            results.Remove(target.Name);
        }

        return again;
    }

    /// <summary>Whether <paramref name="target"/> is one of the event's targets (a report for another is stale).</summary>
    public static bool Targets(ScheduledEventState state, string target) =>
        state.Spec!.Targets is { } targets ? targets.Any(t => t.Name == target) : target == DeliveryKeys.Webhook && state.Spec.Webhook is not null;

    private static bool HasReported(ScheduledEventState state, string target, int seq) =>
        state.TargetResults?.GetValueOrDefault(target) is { } result && result.Seq >= seq;
}
