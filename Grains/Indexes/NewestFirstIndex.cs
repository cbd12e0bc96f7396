using StackExchange.Redis;

namespace Eventd.Grains.Indexes;

/// <summary>One member of a <see cref="NewestFirstIndex"/> and which of its sorted sets (by position) holds it.</summary>
public readonly record struct IndexedMember(int Source, RedisValue Member);

/// <summary>
/// Sorted sets scored by time read as one list, newest first: one set (a project's dead letters), or
/// many merged as they are read (the shards of every project's, a status's 16 shards, every status's
/// for the event list), each read in pages, so a page deep in the list costs the members before it,
/// not every set's members before it times the set count.
/// </summary>
public sealed class NewestFirstIndex(IDatabase redis, IReadOnlyList<RedisKey> sets)
{
    private const int MaxSetPage = 200;

    public async Task<long> CountAsync() => (await Task.WhenAll(sets.Select(set => redis.SortedSetLengthAsync(set)))).Sum();

    /// <summary>The <paramref name="count"/> members from rank <paramref name="start"/> on.</summary>
    public async Task<IReadOnlyList<IndexedMember>> RangeAsync(long start, int count)
    {
        if (sets.Count == 1)
        {
            var members = await redis.SortedSetRangeByRankAsync(sets[0], start, start + count - 1, Order.Descending);
            return [.. members.Select(m => new IndexedMember(0, m))];
        }

        // No set gives more than start + count members to the page: read no more of any.
        var page = new List<IndexedMember>(count);
        var rank = 0L;
        await foreach (var member in MembersAsync((int)Math.Min(MaxSetPage, start + count)))
        {
            if (rank++ >= start)
            {
                page.Add(member);
            }

            if (page.Count == count)
            {
                break;
            }
        }

        return page;
    }

    /// <summary>
    /// Every member, newest first: at each step the newest head of the sets' pages (ties: the lower set
    /// first), each set read <paramref name="setPage"/> members at a time.
    /// </summary>
    public async IAsyncEnumerable<IndexedMember> MembersAsync(int setPage = MaxSetPage)
    {
        var readers = sets.Select((set, i) => new SetReader(redis, set, i)).ToArray();
        while (true)
        {
            await Task.WhenAll(readers.Where(r => r.NeedsPage).Select(r => r.ReadPageAsync(setPage)));
            var newest = readers.Where(r => r.Head is not null).MaxBy(r => r.Head!.Value.Score);
            if (newest is null)
            {
                yield break;
            }

            yield return new IndexedMember(newest.Source, newest.Take());
        }
    }

    /// <summary>One set read newest first, a page at a time.</summary>
    private sealed class SetReader(IDatabase redis, RedisKey set, int source)
    {
        private readonly Queue<SortedSetEntry> _page = new();
        private long _next;
        private bool _exhausted;

        public int Source => source;

        public bool NeedsPage => _page.Count == 0 && !_exhausted;

        public SortedSetEntry? Head => _page.Count > 0 ? _page.Peek() : null;

        public RedisValue Take() => _page.Dequeue().Element;

        public async Task ReadPageAsync(int size)
        {
            var entries = await redis.SortedSetRangeByRankWithScoresAsync(set, _next, _next + size - 1, Order.Descending);
            _next += entries.Length;
            _exhausted = entries.Length < size;
            foreach (var entry in entries)
            {
                _page.Enqueue(entry);
            }
        }
    }
}
