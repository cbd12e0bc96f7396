using Eventd.Grains.Indexes;
using Eventd.Grains.Interfaces;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>The keys a listing of every project's (or a project's) index reads: each shard of its status, or of every status.</summary>
public sealed class EveryProjectShardsTests
{
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
