using Eventd.Grains.Interfaces;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>The shard of an id (stable, spread) and new ids minted in a chosen shard: in it, shaped like the ids before them, never repeated.</summary>
public sealed class IdShardsTests
{
    [Fact]
    public void The_shard_depends_on_the_id_only_and_spreads_ids()
    {
        var shards = Enumerable.Range(0, 1600).Select(i => IdShards.Of($"{i:x32}")).ToList();

        Assert.All(shards, s => Assert.InRange(s, 0, IdShards.Count - 1));
        Assert.Equal(IdShards.Count, shards.Distinct().Count());
        Assert.All(shards.GroupBy(s => s), g => Assert.InRange(g.Count(), 50, 150));

        // Pinned values (XxHash32 mod 16): the shard of a stored bucket member or index entry must not change
        // with a restart or an upgrade, or events would be looked for in sets that do not hold them.
        Assert.Equal(8, IdShards.Of("00000000000000000000000000000000"));
        Assert.Equal(14, IdShards.Of("53daf8ae20d94a0c95f34c43427ad91f"));
    }

    [Fact]
    public void A_minted_id_falls_in_its_shard_and_is_32_lowercase_hex_digits()
    {
        for (var shard = 0; shard < IdShards.Count; shard++)
        {
            var ids = Enumerable.Range(0, 50).Select(_ => IdShards.NewId(shard)).ToList();

            Assert.All(ids, id => Assert.Equal(shard, IdShards.Of(id)));
            Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id));
            Assert.Equal(ids.Count, ids.Distinct().Count());
        }
    }

    [Fact]
    public void Minted_ids_differ_beyond_their_last_byte()
    {
        var prefixes = Enumerable.Range(0, 200).Select(_ => IdShards.NewId(3)[..30]).ToList();

        Assert.Equal(prefixes.Count, prefixes.Distinct().Count());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(IdShards.Count)]
    public void A_shard_out_of_range_is_refused(int shard) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => IdShards.NewId(shard));
}
