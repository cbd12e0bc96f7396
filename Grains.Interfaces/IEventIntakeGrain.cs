namespace Eventd.Grains.Interfaces;

/// <summary>
/// Where events are created. An event due beyond its timer window needs no activation until its
/// bucket wakes it, so its first state is written straight to storage; a near one is created by its
/// own grain, which arms its timer at once.
/// </summary>
[Alias("Eventd.IEventIntakeGrain")]
public interface IEventIntakeGrain : IGrainWithIntegerKey
{
    /// <summary>Stores the event and arms its schedule. Creating an id twice keeps the first.</summary>
    [Alias("Create")]
    Task<EventView> Create(string eventId, EventSpec spec);

    /// <summary>
    /// Stores every event of the batch as <see cref="Create"/> does, in one call: a gateway under load
    /// sends one message for many creates instead of one each. An event given as Eventd v1 fields is first
    /// built into its spec under the create rules (defaults from the silo's <c>Eventd:Delivery</c>). Answers,
    /// in order, what became of each, once every one has been tried.
    /// </summary>
    [Alias("CreateMany")]
    Task<CreateResult[]> CreateMany(IReadOnlyList<NewEvent> events);
}
