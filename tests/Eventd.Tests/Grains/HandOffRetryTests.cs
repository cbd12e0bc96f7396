using Eventd.Grains.Interfaces;
using Eventd.TestSupport;
using Orleans.Core.Internal;

namespace Eventd.Tests.Grains;

/// <summary>
/// A fire the event has counted is delivered whatever fails between the fire and its delivery: a
/// hand-off rejected (the delivery grain's silo just died) is retried by the event within seconds.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class HandOffRetryTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private IScheduledEventGrain Grain(string id) => fixture.Cluster.Client.GetGrain<IScheduledEventGrain>(id);

    [Fact]
    public async Task A_one_off_fire_whose_failed_first_attempt_could_not_be_handed_over_is_delivered_within_seconds()
    {
        var id = Events.NewId();
        var path = $"/handoff-once/{id}";
        var calls = 0;
        var previous = fixture.Receiver.Respond;
        fixture.Receiver.Respond = (n, request) =>
            request.Path == path && Interlocked.Increment(ref calls) == 1 ? (503, null) : previous?.Invoke(n, request) ?? (200, null);

        // The event's own first attempt fails, and so does handing the fire to its delivery grain.
        HandOffFaults.Reject(id, seq: 1);
        await Grain(id).Create(Events.Webhook(fixture.Receiver.Url(path), TimeSpan.Zero));

        var delivered = await Poll.UntilAsync(() => Grain(id).Get(), v => v?.Status == EventStatus.Delivered, Deadline, "the fire delivered");
        Assert.Equal(0, HandOffFaults.Remaining(id, 1));
        Assert.True(delivered!.LastDelivery!.Succeeded);
        var requests = fixture.Receiver.ReceivedOn(path);
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal($"{id}.1", r.Header("webhook-id")));
        Assert.True(requests[^1].At - requests[0].At < TimeSpan.FromSeconds(10), $"retried {(requests[^1].At - requests[0].At).TotalSeconds} s after the first attempt");
    }

    [Fact]
    public async Task A_repeating_fire_whose_hand_off_is_rejected_twice_is_delivered_and_the_event_reads_scheduled_again()
    {
        var id = Events.NewId();
        var path = $"/handoff-repeat/{id}";

        // Two seconds apart, so every fire goes to its delivery grain (no time for an attempt in the event's turn).
        var spec = Events.Webhook(fixture.Receiver.Url(path), TimeSpan.FromSeconds(2)) with
        {
            Schedule = new ScheduleSpec { DelaySeconds = 2, Repeat = RepeatMode.Forever, FirstDueAt = DateTimeOffset.UtcNow.AddSeconds(2) },
        };
        HandOffFaults.Reject(id, seq: 2, times: 2);
        await Grain(id).Create(spec);

        await Poll.UntilAsync(
            () => Task.FromResult(fixture.Receiver.ReceivedOn(path).Select(r => r.Header("webhook-id")).ToHashSet()),
            ids => ids.Contains($"{id}.2") && ids.Contains($"{id}.4"),
            Deadline,
            "fires 2 and 4 delivered");
        var settled = await Poll.UntilAsync(() => Grain(id).Get(), v => v?.Status == EventStatus.Scheduled, Deadline, "no fire pending between two fires");
        await Grain(id).Cancel();

        Assert.Equal(0, HandOffFaults.Remaining(id, 2));
        var seqs = fixture.Receiver.ReceivedOn(path).Select(r => int.Parse(r.Header("webhook-id")![(id.Length + 1)..])).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range(1, seqs.Count), seqs);
        Assert.True(settled!.FireCount >= 4);
    }

    [Fact]
    public async Task A_rejected_hand_off_whose_event_was_deactivated_is_retried_when_its_bucket_wakes_it()
    {
        var id = Events.NewId();
        var path = $"/handoff-deactivated/{id}";

        // A timeout over 10 s: the fire goes to its delivery grain, not an attempt in the event's turn.
        var spec = Events.Webhook(fixture.Receiver.Url(path), TimeSpan.FromSeconds(1)) with
        {
            Webhook = new WebhookTarget { Url = fixture.Receiver.Url(path), TimeoutMs = 15_000 },
        };
        HandOffFaults.Reject(id, seq: 1);
        await Grain(id).Create(spec);
        await Poll.UntilAsync(() => HandOffFaults.Remaining(id, 1) == 0, Deadline, "the hand-off to be rejected");

        // The activation, and its timer for the retry, are gone: only the persisted retry and the bucket are left.
        await Grain(id).Cast<IGrainManagementExtension>().DeactivateOnIdle();

        await Poll.UntilAsync(() => fixture.Receiver.ReceivedOn(path).Count > 0, Deadline, "the fire delivered after all");
        Assert.Equal($"{id}.1", Assert.Single(fixture.Receiver.ReceivedOn(path)).Header("webhook-id"));
        await Poll.UntilAsync(() => Grain(id).Get(), v => v?.Status == EventStatus.Delivered, Deadline, "the event delivered");
    }
}
