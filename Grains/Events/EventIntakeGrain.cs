using Eventd.Grains.Buckets;
using Eventd.Grains.Flow;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Options;
using Eventd.Grains.Ordering;
using Eventd.Grains.Storage;
using Eventd.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Eventd.Grains.Events;

/// <summary>
/// Creates events on the silo that received the call. A far event is indexed, placed in its bucket
/// and then written as its grain's first state (<see cref="FirstStates"/>: stored only if the id is new); its grain is first activated when its bucket wakes it. Activating
/// it just to write a first state and deactivate again was most of the cost of a create.
/// </summary>
[StatelessWorker]
[Reentrant] // A create waits on Redis; without interleaving a silo would create only as many events at once as it has workers.
public sealed partial class EventIntakeGrain(
    FirstStates firstStates,
    TimeProvider time,
    EventStatusIndex statusIndex,
    BucketPlacement placement,
    EventdMetrics metrics,
    IOptions<DeliveryOptions> delivery,
    ILogger<EventIntakeGrain> logger) : Grain, IEventIntakeGrain
{
    /// <summary>
    /// As <see cref="Create"/> for each event, with the far ones indexed in one command per project and
    /// placed in one per bucket, before any of their states is written. One event's failure is its own:
    /// the others of the batch are still stored and reported so. An event given as fields that break a
    /// rule is answered with the rule's error and not stored.
    /// </summary>
    public async Task<CreateResult[]> CreateMany(IReadOnlyList<NewEvent> events)
    {
        var now = time.GetUtcNow();
        var results = new CreateResult[events.Count];
        var stored = new Task<bool>?[events.Count];
        var far = new List<(int Index, string Id, EventSpec Spec, DateTimeOffset CreatedAt)>();
        var specs = new (EventSpec? Spec, string? Error)[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            specs[i] = SpecOf(events[i], now);
        }

        await ConfigureFlowControlAsync(specs);
        for (var i = 0; i < events.Count; i++)
        {
            var (spec, error) = specs[i];

            // As the caller ordered them, else a tick apart in this call's order: fires due at the same
            // moment go by creation (stamped by each event's grain, they would race).
            var createdAt = events[i].CreatedAt ?? now.AddTicks(i);
            if (spec is null)
            {
                results[i] = new CreateResult(CreateOutcome.Invalid, error);
            }
            else if (BucketTiming.IsTimerNear(spec.Schedule.FirstDueAt, now))
            {
                stored[i] = StoredAsync(GrainFactory.GetGrain<IScheduledEventGrain>(events[i].Id).Create(spec, createdAt));
            }
            else
            {
                far.Add((i, events[i].Id, spec, createdAt));
            }
        }

        if (far.Count > 0)
        {
            var storing = StoreFarAsync([.. far.Select(e => (e.Id, e.Spec, e.CreatedAt))], now);
            var placed = await StoredAsync(storing);
            for (var j = 0; j < far.Count; j++)
            {
                stored[far[j].Index] = placed ? StoredAsync(storing.Result[j]) : Task.FromResult(false);
            }
        }

        var failed = 0;
        for (var i = 0; i < events.Count; i++)
        {
            if (stored[i] is { } storedOne)
            {
                var ok = await storedOne;
                failed += ok ? 0 : 1;
                results[i] = new CreateResult(ok ? CreateOutcome.Stored : CreateOutcome.Failed);
            }
        }

        if (failed > 0)
        {
            LogCreatesFailed(logger, failed, events.Count);
        }

        return results;
    }

    /// <summary>
    /// Gives the flow-control keys the limits of the events being created. A key that missed them takes a
    /// fire's own limits at its first attempt, so a failure here does not fail the creates.
    /// </summary>
    private async Task ConfigureFlowControlAsync((EventSpec? Spec, string? Error)[] specs)
    {
        try
        {
            await FlowControlLimits.ConfigureAsync(GrainFactory, specs.Select(made => made.Spec).OfType<EventSpec>());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogConfigureFailed(logger, ex);
        }
    }

    /// <summary>The event's spec: the ready one, or the one its Eventd v1 fields make under the create rules.</summary>
    private (EventSpec? Spec, string? Error) SpecOf(NewEvent created, DateTimeOffset now) =>
        created.Spec is { } ready ? (ready, null)
        : created.Fields is { } fields ? Traced(EventRules.ForCreate(fields, delivery.Value, created.Project, now), created.TraceParent)
        : (null, "fields: an event of a batch needs a spec or fields");

    /// <summary>The spec the fields made, in the trace of the request that sent them.</summary>
    private static (EventSpec? Spec, string? Error) Traced((EventSpec? Spec, string? Error) made, string? traceParent) =>
        made.Spec is { } spec ? (spec with { TraceParent = traceParent }, null) : made;

    /// <summary>True once <paramref name="work"/> has succeeded; false, with the error logged, when it failed.</summary>
    private async Task<bool> StoredAsync(Task work)
    {
        try
        {
            await work;
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCreateFailed(logger, ex);
            return false;
        }
    }

    public async Task<EventView> Create(string eventId, EventSpec spec)
    {
        var now = time.GetUtcNow();
        var due = spec.Schedule.FirstDueAt;
        await ConfigureFlowControlAsync([(spec, null)]);
        if (BucketTiming.IsTimerNear(due, now))
        {
            return await GrainFactory.GetGrain<IScheduledEventGrain>(eventId).Create(spec);
        }

        var writes = await StoreFarAsync([(eventId, spec, now)], now);
        return await writes[0];
    }

    /// <summary>
    /// As the grain does, indexed and placed first, so the state write is what makes an event exist: the
    /// events' <c>scheduled</c> status entries in one script per project and shard, their bucket members in one
    /// per bucket and their first fires told to their ordering keys, then each first state written. Answers the state writes, in order.
    /// </summary>
    private async Task<Task<EventView>[]> StoreFarAsync(IReadOnlyList<(string Id, EventSpec Spec, DateTimeOffset CreatedAt)> far, DateTimeOffset now)
    {
        var indexed = far.GroupBy(e => e.Spec.Project)
            .Select(project => statusIndex.SetAsync(project.Key, project.Select(e => e.Id), EventStatus.Scheduled, IndexedStatus.None, now));
        var placing = placement.PlaceNewAsync([.. far.Select(e => (e.Id, e.Spec.Schedule.FirstDueAt))]);
        await Task.WhenAll(indexed.Append(placing).Append(OrderingExpectations.ExpectAsync(GrainFactory, far)));
        return [.. far.Select((e, i) => WriteFirstStateAsync(e.Id, e.Spec, placing.Result[i], e.CreatedAt))];
    }

    private async Task<EventView> WriteFirstStateAsync(string eventId, EventSpec spec, BucketId bucket, DateTimeOffset createdAt)
    {
        var state = ScheduledEventState.Created(spec, createdAt);
        state.Bucket = bucket.ToString();
        if (!await firstStates.TryWriteAsync(ScheduledEventState.Name, EventGrainId(eventId), state))
        {
            // The id is taken: creating it twice keeps the first.
            return (await GrainFactory.GetGrain<IScheduledEventGrain>(eventId).Get())!;
        }

        metrics.EventCreated();
        return state.View(eventId);
    }

    /// <summary>
    /// The id of an event's grain, made without a grain reference: building a reference (a proxy
    /// resolved through DI) was a tenth of the silo's CPU per create, and the write needs only the id.
    /// </summary>
    private GrainId EventGrainId(string eventId) =>
        GrainId.Create(s_eventGrainType ??= GrainFactory.GetGrain<IScheduledEventGrain>(eventId).GetGrainId().Type, eventId);

    private static GrainType? s_eventGrainType;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Failed} of {Total} creates of a batch were not stored; their callers are told so")]
    private static partial void LogCreatesFailed(ILogger logger, int failed, int total);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A create of a batch failed")]
    private static partial void LogCreateFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flow-control limits of new events were not stored; each key takes them from its first fire")]
    private static partial void LogConfigureFailed(ILogger logger, Exception exception);
}
