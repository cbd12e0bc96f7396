using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Ordering;

/// <summary>
/// The next fire of each event of an ordering key (<see cref="ExpectedFire"/>), and which of them the first
/// fire in line must still wait for: one due before it whose event has no fire at the key yet, because its
/// silo is late, dead or restarting. One missing for <see cref="Patience"/> is passed over (its event was
/// lost with a store that never committed, or its silo is gone for longer than a recovery takes).
/// </summary>
public sealed class ExpectedFires
{
    /// <summary>
    /// How long the key waits for a fire due before the one first in line, counted from its due time or from
    /// when the key was last free, whichever is later: longer than a silo's death is detected and its events
    /// woken elsewhere, and than a waiting delivery takes to ask again after the key itself was moved.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly Dictionary<string, ExpectedFire> _byEvent = new(StringComparer.Ordinal);

    public int Count => _byEvent.Count;

    public bool Knows(string eventId) => _byEvent.ContainsKey(eventId);

    /// <summary>Whether <paramref name="fire"/> is known exactly as it is.</summary>
    public bool Knows(ExpectedFire fire) => _byEvent.TryGetValue(fire.EventId, out var known) && known == fire;

    public void Expect(ExpectedFire fire) => _byEvent[fire.EventId] = fire;

    public bool Forget(string eventId) => _byEvent.Remove(eventId);

    /// <summary>
    /// A fire of the event due at <paramref name="dueAt"/> has ended: the event is forgotten unless it has told
    /// a later fire already (it tells its next one itself when it learns the result).
    /// </summary>
    public bool Ended(string eventId, DateTimeOffset dueAt) =>
        _byEvent.TryGetValue(eventId, out var expected) && expected.DueAt <= dueAt && _byEvent.Remove(eventId);

    /// <summary>
    /// The earliest expected fire that goes before <paramref name="first"/> (by due time, then its event's
    /// creation) and whose event has no fire at the key yet (<paramref name="arrived"/>); null when none does.
    /// </summary>
    public ExpectedFire? MissingBefore(KeyedFire first, IReadOnlySet<string> arrived)
    {
        ExpectedFire? missing = null;
        foreach (var expected in _byEvent.Values)
        {
            if (!arrived.Contains(expected.EventId) && GoesBefore(expected, first) && (missing is null || GoesBefore(expected, missing)))
            {
                missing = expected;
            }
        }

        return missing;
    }

    /// <summary>When the key stops waiting for <paramref name="missing"/>, the key free since <paramref name="freeSince"/>.</summary>
    public static DateTimeOffset PassOverAt(ExpectedFire missing, DateTimeOffset freeSince) =>
        (missing.DueAt > freeSince ? missing.DueAt : freeSince) + Patience;

    private static bool GoesBefore(ExpectedFire expected, KeyedFire fire) =>
        expected.EventId != fire.EventId
        && Compare(expected.DueAt, expected.CreatedAt, expected.EventId, fire.DueAt, fire.CreatedAt, fire.EventId ?? fire.Holder) < 0;

    private static bool GoesBefore(ExpectedFire a, ExpectedFire b) =>
        Compare(a.DueAt, a.CreatedAt, a.EventId, b.DueAt, b.CreatedAt, b.EventId) < 0;

    private static int Compare(DateTimeOffset dueA, DateTimeOffset createdA, string idA, DateTimeOffset dueB, DateTimeOffset createdB, string idB)
    {
        var byDue = dueA.CompareTo(dueB);
        if (byDue != 0)
        {
            return byDue;
        }

        var byCreation = createdA.CompareTo(createdB);
        return byCreation != 0 ? byCreation : string.CompareOrdinal(idA, idB);
    }
}
