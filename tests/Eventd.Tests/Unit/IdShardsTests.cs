using Eventd.Grains.Interfaces;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>New ids minted in a chosen shard: in it, shaped like the ids before them, never repeated.</summary>
public sealed class IdShardsTests
{
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
