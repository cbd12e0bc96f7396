using Eventd.Grains.Buckets;
using Eventd.Grains.Interfaces;
using Eventd.TestSupport;

namespace Eventd.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class EventIntakeGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private IGrainFactory Grains => fixture.Cluster.Client;

    private IEventIntakeGrain Intake => Grains.GetGrain<IEventIntakeGrain>(0);

    private Task<int> ActivationsAsync(string id) =>
        Grains.GetGrain<IManagementGrain>(0).GetGrainActivationCount((GrainReference)Grains.GetGrain<IScheduledEventGrain>(id));

    private async Task<ReceivedRequest> SingleFireAsync(string path) =>
        (await Poll.UntilAsync(() => Task.FromResult(fixture.Receiver.ReceivedOn(path).SingleOrDefault()), r => r is not null, Deadline, $"a fire on {path}"))!;

    [Fact]
    public async Task A_far_event_is_stored_without_an_activation_and_fired_by_its_bucket_on_time()
    {
        var id = Events.NewId();
        var path = $"/intake-far/{id}";

        var created = await Intake.Create(id, Events.Webhook(fixture.Receiver.Url(path), TimeSpan.FromSeconds(9), data: """{"far":true}"""));

        Assert.Equal(EventStatus.Scheduled, created.Status);
        Assert.Equal(0, await ActivationsAsync(id));
        var request = await SingleFireAsync(path);
        Assert.True(request.At >= created.NextFireAt!.Value, "a fire must never come before its due time");
        Assert.Equal("""{"far":true}""", request.Body);
        var delivered = await Poll.UntilAsync(() => Grains.GetGrain<IScheduledEventGrain>(id).Get(), v => v?.Status == EventStatus.Delivered, Deadline, "delivered");
        Assert.Equal(1, delivered!.FireCount);
        Assert.Single(fixture.Receiver.ReceivedOn(path));
    }

    [Fact]
    public async Task A_batch_stores_every_event_near_and_far_and_the_near_ones_fire()
    {
        var near = Enumerable.Range(0, 3).Select(_ => Events.NewId()).ToList();
        var far = Enumerable.Range(0, 3).Select(_ => Events.NewId()).ToList();
        var batch = near.Select(id => new NewEvent(id, Events.Webhook(fixture.Receiver.Url($"/intake-batch/{id}"), TimeSpan.FromSeconds(1))))
            .Concat(far.Select(id => new NewEvent(id, Events.Webhook(fixture.Receiver.Url($"/intake-batch/{id}"), TimeSpan.FromHours(2)))))
            .ToList();

        var stored = await Intake.CreateMany(batch);

        Assert.Equal(Enumerable.Repeat(new CreateResult(CreateOutcome.Stored), batch.Count), stored);

        foreach (var id in far)
        {
            var read = await Grains.GetGrain<IScheduledEventGrain>(id).Get();
            Assert.Equal(EventStatus.Scheduled, read?.Status);
            var bucket = BucketId.For(id, read!.NextFireAt!.Value, read.CreatedAt);
            Assert.Equal(read.NextFireAt.Value.ToUnixTimeMilliseconds(), await fixture.BucketScoreAsync(bucket, id));
            await Grains.GetGrain<IScheduledEventGrain>(id).Cancel();
        }

        foreach (var id in near)
        {
            await SingleFireAsync($"/intake-batch/{id}");
        }
    }

    [Fact]
    public async Task A_batch_of_fields_builds_each_spec_under_the_rules_and_answers_the_rule_a_refused_one_breaks()
    {
        var (valid, refused) = (Events.NewId(), Events.NewId());
        var url = fixture.Receiver.Url($"/intake-fields/{valid}");
        NewEvent[] batch =
        [
            new(valid, Spec: null) { Fields = new EventFields { Url = url, Delay = 7200 }, Project = "shop" },
            new(refused, Spec: null) { Fields = new EventFields { Delay = 5 }, Project = "shop" },
        ];

        var before = DateTimeOffset.UtcNow;
        var results = await Intake.CreateMany(batch);

        Assert.Equal(
            [new CreateResult(CreateOutcome.Stored), new CreateResult(CreateOutcome.Invalid, "url: required unless a channel is given (url, webhook.url or channel)")],
            results);
        var stored = (await Grains.GetGrain<IScheduledEventGrain>(valid).Get())!;
        Assert.Equal(("shop", url, 3, 5000), (stored.Spec.Project, stored.Spec.Webhook!.Url, stored.Spec.Webhook.Retries, stored.Spec.Webhook.TimeoutMs));
        Assert.InRange(stored.NextFireAt!.Value, before.AddHours(2), DateTimeOffset.UtcNow.AddHours(2));
        Assert.Null(await Grains.GetGrain<IScheduledEventGrain>(refused).Get());
        await Grains.GetGrain<IScheduledEventGrain>(valid).Cancel();
    }

    [Fact]
    public async Task A_far_event_reads_back_as_created()
    {
        var id = Events.NewId();
        var created = await Intake.Create(id, Events.Webhook(fixture.Receiver.Url("/intake-read"), TimeSpan.FromHours(3)));

        var read = await Grains.GetGrain<IScheduledEventGrain>(id).Get();

        Assert.NotNull(read);
        Assert.Equal(created.NextFireAt, read.NextFireAt);
        Assert.Equal(created.CreatedAt, read.CreatedAt);
        Assert.Equal(EventStatus.Scheduled, read.Status);
        var bucket = BucketId.For(id, created.NextFireAt!.Value, created.CreatedAt);
        Assert.Equal(created.NextFireAt.Value.ToUnixTimeMilliseconds(), await fixture.BucketScoreAsync(bucket, id));
        await Grains.GetGrain<IScheduledEventGrain>(id).Cancel();
    }

    [Fact]
    public async Task Creating_an_id_twice_keeps_the_first_event()
    {
        var id = Events.NewId();
        var first = await Intake.Create(id, Events.Webhook(fixture.Receiver.Url("/intake-first"), TimeSpan.FromHours(1)));

        var second = await Intake.Create(id, Events.Webhook(fixture.Receiver.Url("/intake-second"), TimeSpan.FromHours(2)));

        Assert.Equal(first.Spec.Webhook!.Url, second.Spec.Webhook!.Url);
        Assert.Equal(first.NextFireAt, second.NextFireAt);
        Assert.Equal(first.Spec.Webhook.Url, (await Grains.GetGrain<IScheduledEventGrain>(id).Get())!.Spec.Webhook!.Url);
        await Grains.GetGrain<IScheduledEventGrain>(id).Cancel();
    }

    [Fact]
    public async Task A_near_event_is_created_by_its_grain_which_arms_its_timer()
    {
        var id = Events.NewId();
        var path = $"/intake-near/{id}";

        var created = await Intake.Create(id, Events.Webhook(fixture.Receiver.Url(path), TimeSpan.FromSeconds(1)));

        Assert.Equal(1, await ActivationsAsync(id));
        var request = await SingleFireAsync(path);
        Assert.True(request.At >= created.NextFireAt!.Value, "a fire must never come before its due time");
    }

    [Fact]
    public async Task A_read_of_an_unknown_id_does_not_hide_the_event_created_under_it_afterwards()
    {
        var id = Events.NewId();
        Assert.Null(await Grains.GetGrain<IScheduledEventGrain>(id).Get());

        await Intake.Create(id, Events.Webhook(fixture.Receiver.Url("/intake-after-read"), TimeSpan.FromHours(1)));

        Assert.NotNull(await Grains.GetGrain<IScheduledEventGrain>(id).Get());
        await Grains.GetGrain<IScheduledEventGrain>(id).Cancel();
    }
}
