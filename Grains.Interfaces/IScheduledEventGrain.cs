using Orleans.Concurrency;

namespace Eventd.Grains.Interfaces;

/// <summary>One scheduled event, keyed by its 32-hex id.</summary>
[Alias("Eventd.IScheduledEventGrain")]
public interface IScheduledEventGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores the event and arms its schedule. Creating an id twice keeps the first. <paramref name="createdAt"/>
    /// is the caller's when it creates several in an order of their own (a batch, in list order); else now.
    /// </summary>
    [Alias("Create")]
    Task<EventView> Create(EventSpec spec, DateTimeOffset? createdAt = null);

    /// <summary>
    /// Stores an event whose only fire the caller has made already (a synchronous Space Cloud queue):
    /// fired once, <paramref name="target"/>'s <paramref name="result"/> recorded, nothing scheduled.
    /// Creating an id twice keeps the first.
    /// </summary>
    [Alias("CreateFired")]
    Task<EventView> CreateFired(EventSpec spec, string target, DeliveryResult result);

    /// <summary>The event, or null when no event has this id.</summary>
    /// <remarks>Interleaves: a read does not wait for a webhook attempt the event is making.</remarks>
    [Alias("Get")]
    [AlwaysInterleave]
    Task<EventView?> Get();

    /// <summary>
    /// Lays <paramref name="fields"/> over the stored spec and holds the result to every create rule, in
    /// one turn, so racing updates apply one after the other and none is lost. A new delay, timestamp or
    /// cron moves the next fire to the new schedule's first due time (re-opening a finished event);
    /// otherwise it stays. <paramref name="callerProject"/> is the caller's project (null: a caller
    /// reaching every project); an event of another project answers <see cref="UpdateOutcome.OtherProject"/>.
    /// Anything but <see cref="UpdateOutcome.Updated"/> changes nothing.
    /// </summary>
    [Alias("Update")]
    Task<UpdateResult> Update(EventFields fields, string? callerProject);

    [Alias("Cancel")]
    Task<CancelOutcome> Cancel();

    /// <summary>
    /// Holds the event: no fire starts after this has answered (one already delivering goes on), and
    /// slots that come due meanwhile are skipped.
    /// </summary>
    [Alias("Pause")]
    Task<PauseOutcome> Pause();

    /// <summary>Lets a paused event fire again from its next slot in the future (a one-off that came due meanwhile fires at once).</summary>
    [Alias("Resume")]
    Task<PauseOutcome> Resume();

    /// <summary>
    /// Sends the last fire again with a fresh retry budget and the same <c>webhook-id</c>: to the one
    /// webhook, or to a fan-out's failed targets (all of them when none failed).
    /// </summary>
    [Alias("Redeliver")]
    Task<RedeliverOutcome> Redeliver();

    /// <summary>Called by a delivery grain when one fire's delivery to one target has ended.</summary>
    [Alias("CompleteDelivery")]
    Task CompleteDelivery(string target, DeliveryResult result);

    /// <summary>
    /// Called by a list that found the event in the status index under another status than its own (an
    /// entry a crash left behind): the event writes its status entry again, clearing every other.
    /// </summary>
    [Alias("Reindex")]
    [OneWay]
    Task Reindex();

    /// <summary>
    /// Called by the time bucket holding the event shortly before it is due, and again while it
    /// stays past its wake-up time: arms the timer, fires an overdue fire, re-hands a pending
    /// delivery, or drops a membership left behind. Safe to call any number of times.
    /// </summary>
    [Alias("Wake")]
    [OneWay]
    Task Wake(string bucket);
}
