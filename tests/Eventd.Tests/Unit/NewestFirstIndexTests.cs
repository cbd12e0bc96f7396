using Eventd.Grains.Indexes;
using Eventd.TestSupport;
using StackExchange.Redis;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>The shards of an every-project index read as one list, newest first, on a real redis-server.</summary>
public sealed class NewestFirstIndexTests : IAsyncLifetime
{
    private readonly RedisServer _redis = new();
    private ConnectionMultiplexer? _connection;

    private IDatabase Db => _connection!.GetDatabase();

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        _connection?.Dispose();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Shards_merge_newest_first_and_page_as_one_list()
    {
        RedisKey[] shards = [$"s0-{Guid.NewGuid():N}", $"s1-{Guid.NewGuid():N}", $"s2-{Guid.NewGuid():N}"];

        // Scores 0..449 dealt over the shards unevenly, so the shards' pages run out at different times.
        var expected = new List<string>();
        for (var score = 0; score < 450; score++)
        {
            var shard = score % 7 == 0 ? 2 : score % 2;
            await Db.SortedSetAddAsync(shards[shard], $"m{score}", score);
            expected.Insert(0, $"m{score}");
        }

        var index = new NewestFirstIndex(Db, shards);
        var all = new List<string>();
        await foreach (var member in index.MembersAsync())
        {
            all.Add(member.Member.ToString());
        }

        Assert.Equal(expected, all);
        var inSmallPages = new List<string>();
        await foreach (var member in index.MembersAsync(setPage: 7))
        {
            inSmallPages.Add(member.Member.ToString());
        }

        Assert.Equal(expected, inSmallPages);
        Assert.Equal(450, await index.CountAsync());
        var third = await index.RangeAsync(start: 40, count: 20);
        Assert.Equal(expected.Skip(40).Take(20), third.Select(m => m.Member.ToString()));
        var scores = await Task.WhenAll(third.Select(m => Db.SortedSetScoreAsync(shards[m.Source], m.Member)));
        Assert.All(scores, score => Assert.NotNull(score));
        Assert.Equal(expected.TakeLast(5), (await index.RangeAsync(start: 445, count: 20)).Select(m => m.Member.ToString()));
    }

    [Fact]
    public async Task One_set_pages_by_rank_and_empty_sets_list_nothing()
    {
        RedisKey set = $"one-{Guid.NewGuid():N}";
        await Db.SortedSetAddAsync(set, [new SortedSetEntry("old", 1), new SortedSetEntry("new", 2)]);

        Assert.Equal(["new", "old"], (await new NewestFirstIndex(Db, [set]).RangeAsync(0, 10)).Select(m => m.Member.ToString()));
        Assert.Equal(["old"], (await new NewestFirstIndex(Db, [set]).RangeAsync(1, 10)).Select(m => m.Member.ToString()));
        Assert.Empty(await new NewestFirstIndex(Db, [$"none-{Guid.NewGuid():N}", $"none-{Guid.NewGuid():N}"]).RangeAsync(0, 10));
    }
}
