namespace Eventd.Grains.Webhooks;

/// <summary>
/// The ids of a hook's latest counted triggers, which its state keeps so a trigger re-run under the same
/// <c>Idempotency-Key</c> (same derived id) is not counted twice. Remembering ids in the hook's own state,
/// written with the count, is exact whatever the hook delivers (a hook without a URL creates no event to
/// look for) and needs no second store; asking whether the event exists could not tell "created, not yet
/// counted" from "counted". The window is bounded: a client retries seconds after its first attempt died,
/// so only a hook triggered <see cref="Kept"/> more times in between would count it again (and still deliver
/// once, its event id being taken).
/// </summary>
public static class RecentTriggers
{
    public const int Kept = 100;

    public static bool Holds(IReadOnlyList<string> recent, string id) => recent.Contains(id, StringComparer.Ordinal);

    /// <summary><paramref name="recent"/> with <paramref name="id"/> added last, the oldest dropped past <see cref="Kept"/>.</summary>
    public static IReadOnlyList<string> With(IReadOnlyList<string> recent, string id) =>
        [.. recent.Skip(Math.Max(0, recent.Count - Kept + 1)), id];
}
