using Eventd.Grains.Events;
using Eventd.Grains.Indexes;
using Eventd.Grains.Interfaces;
using Eventd.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Eventd.Tests.Grains;

/// <summary>
/// Status moves made at once by many grains of a silo share scripts (<see cref="EventStatusIndex"/>): each
/// member still lands with its own creation score and its own clean-up time, and leaves its own old entries.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StatusIndexBatchTests(ClusterFixture fixture)
{
    private IServiceProvider Silo => fixture.SiloServices;

    private IDatabase Redis => fixture.RedisClient.GetDatabase();

    private string ServiceId => fixture.Cluster.Options.ServiceId;

    [Fact]
    public async Task Moves_of_one_shard_made_at_once_each_keep_their_own_score_and_clean_up()
    {
        var project = $"batch-{Guid.NewGuid():N}"[..20];
        var shard = 5;
        var ids = Enumerable.Range(0, 400).Select(_ => IdShards.NewId(shard)).ToList();
        var created = DateTimeOffset.UtcNow.AddMinutes(-10);
        var index = Silo.GetRequiredService<EventStatusIndex>();
        await index.SetAsync(project, ids, EventStatus.Scheduled, IndexedStatus.None, created);

        // Each its own creation time and expiry, all at once: they go in as few scripts as the silo can join.
        await Task.WhenAll(ids.Select((id, i) => index.SetAsync(
            project, id, EventStatus.Delivered, IndexedStatus.In(EventStatus.Scheduled), created.AddMilliseconds(i), created.AddDays(7).AddSeconds(i))));

        var scheduled = StatusIndexKeys.Set(ServiceId, shard, project, EventStatus.Scheduled);
        var delivered = StatusIndexKeys.Set(ServiceId, shard, project, EventStatus.Delivered);
        var everyDelivered = StatusIndexKeys.Set(ServiceId, shard, ProjectNames.Every, EventStatus.Delivered);
        Assert.Equal(0, await Redis.SortedSetLengthAsync(scheduled));
        Assert.Equal(ids.Count, await Redis.SortedSetLengthAsync(delivered));
        for (var i = 0; i < ids.Count; i += 37)
        {
            Assert.Equal(CreationScore.Of(created.AddMilliseconds(i)), await Redis.SortedSetScoreAsync(delivered, ids[i]));
            Assert.Equal(CreationScore.Of(created.AddMilliseconds(i)), await Redis.SortedSetScoreAsync(everyDelivered, ids[i]));
            Assert.Equal(
                created.AddDays(7).AddSeconds(i).ToUnixTimeMilliseconds(),
                await Redis.SortedSetScoreAsync(StatusIndexKeys.Expiring(ServiceId, shard), StatusIndexKeys.ExpiringMember(project, ids[i])));
        }
    }
}
