using Eventd.Grains.Events;
using Eventd.Grains.Indexes;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Retention;
using Eventd.Grains.Interfaces.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Eventd.Tests.Grains;

/// <summary>
/// The sweep of expired events' list entries (<see cref="ExpiringEvents"/>) against a real Redis: a settled
/// event's entries go once it is due, not before, and an event un-settled since keeps them, as does an
/// event created since under the same id.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ExpiringEventsTests(ClusterFixture fixture)
{
    private IServiceProvider Silo => fixture.SiloServices;

    private IDatabase Redis => fixture.RedisClient.GetDatabase();

    private string ServiceId => fixture.Cluster.Options.ServiceId;

    [Fact]
    public async Task A_settled_events_entries_go_once_it_is_due_and_not_before()
    {
        var (project, id, shard) = NewEvent();
        var now = DateTimeOffset.UtcNow;
        await IndexAsync(project, id, EventStatus.Delivered, expiresAt: now.AddSeconds(10));

        await Silo.GetRequiredService<ExpiringEvents>().SweepAsync(shard, now, RetentionSweepGrain.Batch);
        Assert.True(await IndexedAsync(project, id, EventStatus.Delivered));

        await Silo.GetRequiredService<ExpiringEvents>().SweepAsync(shard, now.AddSeconds(10), RetentionSweepGrain.Batch);
        Assert.False(await IndexedAsync(project, id, EventStatus.Delivered));
        Assert.Null(await Redis.SortedSetScoreAsync(StatusIndexKeys.Expiring(ServiceId, shard), StatusIndexKeys.ExpiringMember(project, id)));
    }

    [Fact]
    public async Task An_event_unsettled_again_keeps_its_entries()
    {
        var (project, id, shard) = NewEvent();
        var now = DateTimeOffset.UtcNow;
        await IndexAsync(project, id, EventStatus.Failed, expiresAt: now);
        await Silo.GetRequiredService<EventStatusIndex>().SetAsync(project, id, EventStatus.Delivering, IndexedStatus.In(EventStatus.Failed), now);

        await Silo.GetRequiredService<ExpiringEvents>().SweepAsync(shard, now.AddMinutes(1), RetentionSweepGrain.Batch);

        Assert.True(await IndexedAsync(project, id, EventStatus.Delivering));
    }

    [Fact]
    public async Task An_event_created_again_under_the_id_of_one_that_expired_keeps_its_entries()
    {
        var (project, id, shard) = NewEvent();
        var now = DateTimeOffset.UtcNow;
        await IndexAsync(project, id, EventStatus.Delivered, expiresAt: now);

        // An id made from an Idempotency-Key, used again once the old event's state expired.
        await Silo.GetRequiredService<EventStatusIndex>().SetAsync(project, id, EventStatus.Scheduled, IndexedStatus.None, now.AddMilliseconds(1));
        await Silo.GetRequiredService<ExpiringEvents>().SweepAsync(shard, now.AddMinutes(1), RetentionSweepGrain.Batch);

        Assert.False(await IndexedAsync(project, id, EventStatus.Delivered));
        Assert.NotNull(await Redis.SortedSetScoreAsync(StatusIndexKeys.Set(ServiceId, shard, project, EventStatus.Scheduled), id));
        Assert.NotNull(await Redis.SortedSetScoreAsync(StatusIndexKeys.Set(ServiceId, shard, ProjectNames.Every, EventStatus.Scheduled), id));
        Assert.Null(await Redis.SortedSetScoreAsync(StatusIndexKeys.Expiring(ServiceId, shard), StatusIndexKeys.ExpiringMember(project, id)));
    }

    private static (string Project, string Id, int Shard) NewEvent()
    {
        var id = Events.NewId();
        return ($"p{Events.NewId()[..8]}", id, IdShards.Of(id));
    }

    /// <summary>Indexes a settled event as its settling would: created at least its retention before it expires.</summary>
    private async Task IndexAsync(string project, string id, EventStatus status, DateTimeOffset expiresAt)
    {
        var createdAt = expiresAt - Silo.GetRequiredService<IOptions<RetentionOptions>>().Value.Settled;

        // Also in the creation lists events had before the list read the status sets: the sweep empties those too.
        var score = CreationScore.Of(createdAt);
        await Redis.SortedSetAddAsync(EventIndexKeys.ByCreation(ServiceId, project), id, score);
        await Redis.SortedSetAddAsync(EventIndexKeys.EveryProject(ServiceId, IdShards.Of(id)), id, score);
        await Silo.GetRequiredService<EventStatusIndex>().SetAsync(project, id, status, IndexedStatus.None, createdAt, expiresAt);
    }

    /// <summary>Whether the event is in its project's creation list of before, every project's, and both status sets of <paramref name="status"/>.</summary>
    private async Task<bool> IndexedAsync(string project, string id, EventStatus status)
    {
        var shard = IdShards.Of(id);
        RedisKey[] sets =
        [
            EventIndexKeys.ByCreation(ServiceId, project),
            EventIndexKeys.EveryProject(ServiceId, shard),
            StatusIndexKeys.Set(ServiceId, shard, project, status),
            StatusIndexKeys.Set(ServiceId, shard, ProjectNames.Every, status),
        ];
        var scores = await Task.WhenAll(sets.Select(set => Redis.SortedSetScoreAsync(set, id)));
        return scores.All(score => score is not null);
    }
}
