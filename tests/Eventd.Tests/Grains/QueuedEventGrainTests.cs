using Eventd.Grains.Interfaces;

namespace Eventd.Tests.Grains;

/// <summary>The record of a queued Space Cloud event, kept by its grain.</summary>
[Collection(ClusterCollection.Name)]
public sealed class QueuedEventGrainTests(ClusterFixture fixture)
{
    private IQueuedEventGrain Grain(string key) => fixture.Cluster.Client.GetGrain<IQueuedEventGrain>(key);

    [Fact]
    public async Task A_recorded_event_reads_back_and_a_second_record_keeps_the_first()
    {
        var key = $"p/{Events.NewId()}";
        var first = new QueuedEvent("q1", "sent-email", DateTimeOffset.UtcNow, [new QueuedDelivery("mailer", Events.NewId())]);
        var second = first with { Type = "other", Deliveries = [new QueuedDelivery("audit", null, "failed", 500, 1)] };

        await Grain(key).Record(first);
        await Grain(key).Record(second);

        var read = await Grain(key).Get();
        Assert.Equal(("q1", "sent-email"), (read!.Id, read.Type));
        Assert.Equal(first.Deliveries, read.Deliveries);
        Assert.Null(await Grain($"p/{Events.NewId()}").Get());
    }
}
