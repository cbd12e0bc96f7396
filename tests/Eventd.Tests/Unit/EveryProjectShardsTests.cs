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
    public void A_project_listing_reads_its_own_index_and_every_projects_reads_each_shard_and_both_the_untagged_index_of_before()
    {
        Assert.Equal(["eventd/events/default"], EventIndexKeys.Listing("eventd", "default"));
        Assert.Equal(
            [.. EveryProjectShards.All.Select(shard => $"{{eventd/events/*/{shard}}}"), "eventd/events/*"],
            EventIndexKeys.Listing("eventd", ProjectNames.Every));
        Assert.Equal(
            [new("{eventd/deadletters/default}", "{eventd/deadletters/default}/entries"), new("eventd/deadletters/default", "eventd/deadletters/default/entries")],
            DeadLetterKeys.Listing("eventd", "default"));
        var everyProject = DeadLetterKeys.Listing("eventd", ProjectNames.Every);
        Assert.Equal(EveryProjectShards.Count + 1, everyProject.Distinct().Count());
        Assert.Equal(new DeadLetterKeys("eventd/deadletters/*", "eventd/deadletters/*/entries"), everyProject[^1]);
    }
}
