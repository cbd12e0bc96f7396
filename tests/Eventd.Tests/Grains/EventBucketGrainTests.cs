using Eventd.Grains.Buckets;
using Eventd.Grains.Events;
using Eventd.Grains.Interfaces;
using Eventd.TestSupport;

namespace Eventd.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class EventBucketGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private IGrainFactory Grains => fixture.Cluster.Client;

    private BucketStore Store => fixture.Buckets;

    private Task<double?> ScoreAsync(BucketId bucket, string eventId) => fixture.BucketScoreAsync(bucket, eventId);

    [Fact]
    public async Task An_event_created_by_its_grain_beyond_the_timer_window_is_released_then_woken_by_its_bucket_and_fired_on_time()
    {
        var id = Events.NewId();
        var path = $"/bucket-woken/{id}";
        var created = await Grains.GetGrain<IScheduledEventGrain>(id).Create(Events.Webhook(fixture.Receiver.Url(path), TimeSpan.FromSeconds(9)));
        var due = created.NextFireAt!.Value;
        var bucket = BucketId.For(id, due, created.CreatedAt);

        Assert.Equal(due.ToUnixTimeMilliseconds(), await ScoreAsync(bucket, id));
        var management = Grains.GetGrain<IManagementGrain>(0);
        var reference = (GrainReference)Grains.GetGrain<IScheduledEventGrain>(id);
        await Poll.UntilAsync(() => management.GetGrainActivationCount(reference), n => n == 0, Deadline, "the far event to be released");

        var request = await Poll.UntilAsync(() => Task.FromResult(fixture.Receiver.ReceivedOn(path).SingleOrDefault()), r => r is not null, Deadline, "the fire");
        Assert.True(request!.At >= due, "a fire must never come before its due time");
        await Poll.UntilAsync(() => ScoreAsync(bucket, id), score => score is null, Deadline, "the settled event to leave its bucket");
        Assert.Single(fixture.Receiver.ReceivedOn(path));
    }

    [Fact]
    public async Task A_member_with_no_event_behind_it_is_dropped_when_its_bucket_wakes_it()
    {
        var id = Events.NewId();
        var now = DateTimeOffset.UtcNow;
        var bucket = BucketId.For(id, now, now);
        await Store.AddAsync(bucket, id, now - TimeSpan.FromSeconds(5));

        await Grains.GetGrain<IEventBucketGrain>(bucket.ToString()).Arm();

        await Poll.UntilAsync(() => ScoreAsync(bucket, id), score => score is null, Deadline, "the orphan member to be dropped");
        Assert.Null(await Grains.GetGrain<IScheduledEventGrain>(id).Get());
    }

    [Fact]
    public async Task A_member_left_in_another_bucket_is_dropped_and_the_event_still_fires_once()
    {
        var id = Events.NewId();
        var path = $"/bucket-stale/{id}";
        var created = await Grains.GetGrain<IScheduledEventGrain>(id).Create(Events.Webhook(fixture.Receiver.Url(path), TimeSpan.FromSeconds(7)));
        var own = BucketId.For(id, created.NextFireAt!.Value, created.CreatedAt);
        var stale = new BucketId(own.Shard, own.Minute - 1);
        await Store.AddAsync(stale, id, DateTimeOffset.UtcNow - TimeSpan.FromSeconds(10));

        await Grains.GetGrain<IEventBucketGrain>(stale.ToString()).Arm();

        await Poll.UntilAsync(() => ScoreAsync(stale, id), score => score is null, Deadline, "the stale member to be dropped");
        Assert.NotNull(await ScoreAsync(own, id));
        await Poll.UntilAsync(() => Task.FromResult(fixture.Receiver.ReceivedOn(path).Count), n => n > 0, Deadline, "the fire");
        var view = await Poll.UntilAsync(() => Grains.GetGrain<IScheduledEventGrain>(id).Get(), v => v?.Status == EventStatus.Delivered, Deadline, "delivered");
        Assert.Equal(1, view!.FireCount);
        Assert.Single(fixture.Receiver.ReceivedOn(path));
    }

    [Fact]
    public async Task A_cancelled_event_leaves_its_bucket()
    {
        var id = Events.NewId();
        var created = await Grains.GetGrain<IScheduledEventGrain>(id).Create(Events.Webhook(fixture.Receiver.Url("/bucket-cancel"), TimeSpan.FromHours(2)));
        var bucket = BucketId.For(id, created.NextFireAt!.Value, created.CreatedAt);
        Assert.NotNull(await ScoreAsync(bucket, id));

        await Grains.GetGrain<IScheduledEventGrain>(id).Cancel();

        Assert.Null(await ScoreAsync(bucket, id));
    }

    [Fact]
    public async Task A_reschedule_moves_the_event_to_the_bucket_of_its_new_due_time()
    {
        var id = Events.NewId();
        var grain = Grains.GetGrain<IScheduledEventGrain>(id);
        var created = await grain.Create(Events.Webhook(fixture.Receiver.Url("/bucket-move"), TimeSpan.FromHours(2)));
        var before = BucketId.For(id, created.NextFireAt!.Value, created.CreatedAt);

        var result = await grain.Update(new EventFields { Delay = TimeSpan.FromHours(5).TotalSeconds }, callerProject: null);

        var after = BucketId.For(id, result.Event!.NextFireAt!.Value, DateTimeOffset.UtcNow);
        Assert.NotEqual(before, after);
        Assert.Null(await ScoreAsync(before, id));
        Assert.Equal(result.Event.NextFireAt!.Value.ToUnixTimeMilliseconds(), await ScoreAsync(after, id));
        await grain.Cancel();
    }

    [Fact]
    public async Task A_delivery_still_under_way_when_the_bucket_wakes_the_event_again_is_handed_off_again_but_sent_once()
    {
        var id = Events.NewId();
        var path = $"/bucket-slow/{id}";
        var slow = Events.Webhook(fixture.Receiver.Url(path), TimeSpan.Zero);
        var spec = slow with { Webhook = slow.Webhook! with { TimeoutMs = 20_000 } };
        // Held past the sweep's grace and its rewake interval (BucketTiming.RewakeAfter).
        fixture.Receiver.Hold = r => r.Path == path ? TimeSpan.FromSeconds(16) : TimeSpan.Zero;
        try
        {
            var created = await Grains.GetGrain<IScheduledEventGrain>(id).Create(spec);
            var due = created.NextFireAt!.Value;
            var bucket = BucketId.For(id, due, created.CreatedAt);

            // The sweep finds the member past its wake-up time while the receiver holds the request,
            // wakes the event (which hands the fire off again) and moves the member to its recheck.
            await Poll.UntilAsync(
                () => ScoreAsync(bucket, id),
                score => score > (due + HandOffRetry.Recheck / 2).ToUnixTimeMilliseconds(),
                Deadline,
                "the sweep to wake the delivering event");
            Assert.Equal(EventStatus.Delivering, (await Grains.GetGrain<IScheduledEventGrain>(id).Get())!.Status);

            var delivered = await Poll.UntilAsync(() => Grains.GetGrain<IScheduledEventGrain>(id).Get(), v => v?.Status == EventStatus.Delivered, Deadline, "delivered");
            Assert.Equal(1, delivered!.LastDelivery!.Attempts);
            Assert.Single(fixture.Receiver.ReceivedOn(path));
            await Poll.UntilAsync(() => ScoreAsync(bucket, id), score => score is null, Deadline, "the settled event to leave its bucket");
        }
        finally
        {
            fixture.Receiver.Hold = null;
        }
    }

    [Fact]
    public async Task A_bucket_holding_more_overdue_members_than_one_scan_wakes_works_through_all_of_them()
    {
        var now = DateTimeOffset.UtcNow;
        var bucket = BucketId.For(Events.NewId(), now, now);
        var overdueAt = now - TimeSpan.FromMinutes(1);
        var orphans = Enumerable.Range(0, (BucketTiming.MaxWakesPerScan * 2) + 500).Select(_ => Events.NewId()).ToList();

        // Half share one score, so a page ends inside a run of equal scores.
        var db = fixture.RedisClient.GetDatabase();
        await db.SortedSetAddAsync(Store.Key(bucket), orphans.Select((id, i) => new StackExchange.Redis.SortedSetEntry(id, overdueAt.ToUnixTimeMilliseconds() + (i % 2 == 0 ? 0 : i))).ToArray());

        await Grains.GetGrain<IEventBucketGrain>(bucket.ToString()).Arm();

        await Poll.UntilAsync(() => db.SortedSetLengthAsync(Store.Key(bucket)), n => n == 0, TimeSpan.FromSeconds(60), "every orphan member to be woken and dropped");
    }
}
