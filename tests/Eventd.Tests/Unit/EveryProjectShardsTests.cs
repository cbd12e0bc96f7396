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
    public void A_listing_reads_each_shard_of_its_status_or_of_every_status()
    {
        Assert.Equal(
            EveryProjectShards.All.Select(shard => new ListedSet($"{{eventd/status/{shard}}}/default/failed", EventStatus.Failed)),
            StatusIndexKeys.Listing("eventd", "default", EventStatus.Failed));
        Assert.Equal(
            StatusIndexKeys.Statuses.SelectMany(status => EveryProjectShards.All.Select(shard =>
                new ListedSet($"{{eventd/status/{shard}}}/*/{status.ToString().ToLowerInvariant()}", status))),
            StatusIndexKeys.Listing("eventd", ProjectNames.Every, null));
        Assert.Equal([new DeadLetterKeys("{eventd/deadletters/default}", "{eventd/deadletters/default}/entries")], DeadLetterKeys.Listing("eventd", "default"));
        Assert.Equal(EveryProjectShards.Count, DeadLetterKeys.Listing("eventd", ProjectNames.Every).Distinct().Count());
    }
}
