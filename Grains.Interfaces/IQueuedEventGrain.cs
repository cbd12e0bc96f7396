namespace Eventd.Grains.Interfaces;

/// <summary>The record of one queued Space Cloud event, keyed <c>{project}/{id}</c>, read back by <c>GET …/eventing/events/{id}</c>.</summary>
[Alias("Eventd.IQueuedEventGrain")]
public interface IQueuedEventGrain : IGrainWithStringKey
{
    /// <summary>Records the queued event once its deliveries exist. Recording it twice keeps the first (a re-run under its key).</summary>
    [Alias("Record")]
    Task Record(QueuedEvent queued);

    /// <summary>The queued event, or null when none was recorded under this id.</summary>
    [Alias("Get")]
    Task<QueuedEvent?> Get();
}
