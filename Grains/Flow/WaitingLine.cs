using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Flow;

/// <summary>
/// The fires waiting at a key, first the one due earliest (then the one whose event was created first).
/// A fire that asks again keeps its place: a delivery grain re-asks while it waits, to survive a lost
/// permit or a key grain that was moved.
/// </summary>
public sealed class WaitingLine
{
    private static readonly Comparer<KeyedFire> ByTurn = Comparer<KeyedFire>.Create((a, b) =>
    {
        var byDue = a.DueAt.CompareTo(b.DueAt);
        if (byDue != 0)
        {
            return byDue;
        }

        var byCreation = a.CreatedAt.CompareTo(b.CreatedAt);
        return byCreation != 0 ? byCreation : string.CompareOrdinal(a.Holder, b.Holder);
    });

    private readonly SortedSet<KeyedFire> _line = new(ByTurn);
    private readonly Dictionary<string, KeyedFire> _byHolder = new(StringComparer.Ordinal);

    public int Count => _line.Count;

    /// <summary>The fire whose turn is next; null when none waits.</summary>
    public KeyedFire? First => _line.Count == 0 ? null : _line.Min;

    public bool Contains(string holder) => _byHolder.ContainsKey(holder);

    /// <summary>The events whose fires wait in line (those that named theirs).</summary>
    public IReadOnlySet<string> EventIds() =>
        _byHolder.Values.Select(fire => fire.EventId).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>Adds a fire; one already waiting keeps its place.</summary>
    public void Join(KeyedFire fire)
    {
        if (_byHolder.TryAdd(fire.Holder, fire))
        {
            _line.Add(fire);
        }
    }

    public bool Leave(string holder)
    {
        if (!_byHolder.Remove(holder, out var fire))
        {
            return false;
        }

        _line.Remove(fire);
        return true;
    }

    /// <summary>Takes the first fire out of the line.</summary>
    public KeyedFire? TakeFirst()
    {
        if (First is not { } first)
        {
            return null;
        }

        Leave(first.Holder);
        return first;
    }
}
