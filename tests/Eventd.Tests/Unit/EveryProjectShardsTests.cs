using Eventd.Grains.Indexes;
using Eventd.Grains.Interfaces;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>Where every project's index entries go: a stable shard per member, and the keys a listing reads.</summary>
public sealed class EveryProjectShardsTests
{
    [Fact]
    public void A_members_shard_is_stable_in_range_and_every_shard_is_used()
    {
        var members = Enumerable.Range(0, 1000).Select(i => $"{i:x32}/1/webhook").ToList();

        Assert.Equal(members.Select(EveryProjectShards.Of), members.Select(EveryProjectShards.Of));
        Assert.All(members.Select(EveryProjectShards.Of), shard => Assert.InRange(shard, 0, EveryProjectShards.Count - 1));
        Assert.Equal(EveryProjectShards.Count, members.Select(EveryProjectShards.Of).Distinct().Count());
    }

    [Fact]
    public void A_project_listing_reads_its_own_index_and_every_projects_reads_each_shard()
    {
        Assert.Equal(["eventd/events/default"], EventIndexKeys.Listing("eventd", "default"));
        Assert.Equal(EveryProjectShards.All.Select(shard => $"{{eventd/events/*/{shard}}}"), EventIndexKeys.Listing("eventd", ProjectNames.Every));
        Assert.Equal([new DeadLetterKeys("{eventd/deadletters/default}", "{eventd/deadletters/default}/entries")], DeadLetterKeys.Listing("eventd", "default"));
        Assert.Equal(EveryProjectShards.Count, DeadLetterKeys.Listing("eventd", ProjectNames.Every).Distinct().Count());
    }
}
