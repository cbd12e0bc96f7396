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

    public Task CreateMany(IReadOnlyList<NewEvent> events) =>
        events.Count == 1 ? Create(events[0].Id, events[0].Spec) : Task.WhenAll(events.Select(e => Create(e.Id, e.Spec)));

    public async Task<EventView> Create(string eventId, EventSpec spec)
    {
        var grain = GrainFactory.GetGrain<IScheduledEventGrain>(eventId);
        var now = time.GetUtcNow();
        var due = spec.Schedule.FirstDueAt;
        if (BucketTiming.IsTimerNear(due, now))
        {
            return await grain.Create(spec);
        }

        // As the grain does: indexed and placed first, so the state write is what makes the event exist.
        var placing = placement.PlaceAsync(eventId, current: null, due);
        await Task.WhenAll(index.AddAsync(spec.Project, eventId, now), placing);
        var state = ScheduledEventState.Created(spec, now);
        state.Bucket = placing.Result.Bucket.ToString();
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
