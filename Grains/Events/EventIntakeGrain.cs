using Eventd.Grains.Buckets;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.Storage;

namespace Eventd.Grains.Events;

/// <summary>
/// Creates events on the silo that received the call. A far event is indexed, placed in its bucket
/// and then written through the same storage provider its grain reads from, with no ETag, which
/// stores it only if the id is new; its grain is first activated when its bucket wakes it. Activating
/// it just to write a first state and deactivate again was most of the cost of a create.
/// </summary>
[StatelessWorker]
[Reentrant] // A create waits on Redis; without interleaving a silo would create only as many events at once as it has workers.
public sealed class EventIntakeGrain(
    IServiceProvider services,
    TimeProvider time,
    EventIndex index,
    BucketPlacement placement,
    EventdMetrics metrics) : Grain, IEventIntakeGrain
{
    private readonly IGrainStorage _storage = services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);

    /// <summary>
    /// As <see cref="Create"/> for each event, with the far ones indexed in one command per project and
    /// placed in one per bucket, before any of their states is written.
    /// </summary>
    public async Task CreateMany(IReadOnlyList<NewEvent> events)
    {
        var now = time.GetUtcNow();
        var near = new List<NewEvent>();
        var far = new List<NewEvent>();
        foreach (var e in events)
        {
            (BucketTiming.IsTimerNear(e.Spec.Schedule.FirstDueAt, now) ? near : far).Add(e);
        }

        var nearCreated = near.Select(e => GrainFactory.GetGrain<IScheduledEventGrain>(e.Id).Create(e.Spec)).ToList();
        if (far.Count > 0)
        {
            var indexed = far.GroupBy(e => e.Spec.Project).Select(project => index.AddAsync(project.Key, project.Select(e => e.Id), now));
            var placing = placement.PlaceNewAsync(far.Select(e => (e.Id, e.Spec.Schedule.FirstDueAt)).ToList());
            await Task.WhenAll(indexed.Append(placing));
            await Task.WhenAll(far.Select((e, i) => WriteFirstStateAsync(e.Id, e.Spec, placing.Result[i], now)));
        }

        await Task.WhenAll(nearCreated);
    }

    public async Task<EventView> Create(string eventId, EventSpec spec)
    {
        var now = time.GetUtcNow();
        var due = spec.Schedule.FirstDueAt;
        if (BucketTiming.IsTimerNear(due, now))
        {
            return await GrainFactory.GetGrain<IScheduledEventGrain>(eventId).Create(spec);
        }

        // As the grain does: indexed and placed first, so the state write is what makes the event exist.
        var placing = placement.PlaceAsync(eventId, current: null, due);
        await Task.WhenAll(index.AddAsync(spec.Project, eventId, now), placing);
        return await WriteFirstStateAsync(eventId, spec, placing.Result.Bucket, now);
    }

    private async Task<EventView> WriteFirstStateAsync(string eventId, EventSpec spec, BucketId bucket, DateTimeOffset now)
    {
        var grain = GrainFactory.GetGrain<IScheduledEventGrain>(eventId);
        var state = ScheduledEventState.Created(spec, now);
        state.Bucket = bucket.ToString();
        try
        {
            await _storage.WriteStateAsync(ScheduledEventState.Name, grain.GetGrainId(), new GrainState<ScheduledEventState>(state));
        }
        catch (InconsistentStateException)
        {
            // The id is taken: creating it twice keeps the first.
            return (await grain.Get())!;
        }

        metrics.EventCreated();
        return state.View(eventId);
    }
}
