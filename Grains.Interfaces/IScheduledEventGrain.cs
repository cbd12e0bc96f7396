namespace Eventd.Grains.Interfaces;

/// <summary>One scheduled event, keyed by its 32-hex id.</summary>
[Alias("Eventd.IScheduledEventGrain")]
public interface IScheduledEventGrain : IGrainWithStringKey
{
    /// <summary>Stores the event and arms its schedule. Creating an id twice keeps the first.</summary>
    [Alias("Create")]
    Task<EventView> Create(EventSpec spec);

    /// <summary>The event, or null when no event has this id.</summary>
    [Alias("Get")]
    Task<EventView?> Get();

    [Alias("Cancel")]
    Task<CancelOutcome> Cancel();

    /// <summary>Called by a delivery grain when one fire's delivery to one target has ended.</summary>
    [Alias("CompleteDelivery")]
    Task CompleteDelivery(string target, DeliveryResult result);
}
