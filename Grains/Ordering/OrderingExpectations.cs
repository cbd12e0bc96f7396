using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Ordering;

/// <summary>
/// Tells ordering keys the first fires of events the intake stores without activating them (far ones): an
/// event activated for its create tells its key itself (ScheduledEventGrain.Ordering.cs).
/// </summary>
public static class OrderingExpectations
{
    /// <summary>One call per key; events without an ordering key cost nothing.</summary>
    public static Task ExpectAsync(IGrainFactory grains, IEnumerable<(string Id, EventSpec Spec, DateTimeOffset CreatedAt)> events) =>
        Task.WhenAll(events
            .Where(created => created.Spec.OrderingKey is not null)
            .GroupBy(created => FlowControl.GrainKey(created.Spec.Project, created.Spec.OrderingKey!), StringComparer.Ordinal)
            .Select(key => grains.GetGrain<IOrderingKeyGrain>(key.Key)
                .Expect([.. key.Select(created => new ExpectedFire(created.Id, created.Spec.Schedule.FirstDueAt, created.CreatedAt))])));
}
