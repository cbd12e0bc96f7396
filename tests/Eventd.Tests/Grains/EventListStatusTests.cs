using Eventd.Grains.Indexes;
using Eventd.Grains.Interfaces;
using Eventd.TestSupport;

namespace Eventd.Tests.Grains;

/// <summary>
/// The event list's status filter, read from the status index the event grains and the intake write: each
/// event is listed under its current status only, in its project and every project's.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class EventListStatusTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private IGrainFactory Grains => fixture.Cluster.Client;

    private string ServiceId => fixture.Cluster.Options.ServiceId;

    private IScheduledEventGrain Event(string id) => Grains.GetGrain<IScheduledEventGrain>(id);

    private static string NewProject() => $"status-{Guid.NewGuid():N}"[..20];

    private static EventSpec Webhook(string project, string url, TimeSpan dueIn, int retries = 3, int timeoutMs = 2000)
    {
        var spec = Events.Webhook(url, dueIn, retries);
        return spec with { Project = project, Webhook = spec.Webhook! with { TimeoutMs = timeoutMs } };
    }

    [Theory]
    [InlineData(20_000)] // its delivery grain makes the attempt
    [InlineData(5_000)] // short enough for the event to make it in its own turn: the index learns of it after a grace
    public async Task An_event_is_listed_as_scheduled_then_delivering_then_delivered_and_under_no_other_status(int timeoutMs)
    {
        var project = NewProject();
        var id = Events.NewId();
        var path = $"/status-delivered/{id}";
        var previous = fixture.Receiver.Hold;
        fixture.Receiver.Hold = r => r.Path == path ? TimeSpan.FromSeconds(4) : previous?.Invoke(r) ?? TimeSpan.Zero;
        try
        {
            await Event(id).Create(Webhook(project, fixture.Receiver.Url(path), TimeSpan.FromHours(1), timeoutMs: timeoutMs));
            await AssertListedOnlyAsync(project, id, EventStatus.Scheduled);

            // Due now: the receiver holds the attempt, so the event stays delivering meanwhile.
            Assert.Equal(UpdateOutcome.Updated, (await Event(id).Update(new EventFields { Delay = 0 }, callerProject: null)).Outcome);
            await AssertListedOnlyAsync(project, id, EventStatus.Delivering);

            await AssertListedOnlyAsync(project, id, EventStatus.Delivered);
            Assert.Single(fixture.Receiver.ReceivedOn(path));
        }
        finally
        {
            fixture.Receiver.Hold = previous;
        }
    }

    [Fact]
    public async Task An_event_whose_delivery_fails_is_listed_as_failed_only()
    {
        var project = NewProject();
        var id = Events.NewId();
        var path = $"/status-failed/{id}";
        var previous = fixture.Receiver.Respond;
        fixture.Receiver.Respond = (n, request) => request.Path == path ? (500, null) : previous?.Invoke(n, request) ?? (200, null);
        try
        {
            await Event(id).Create(Webhook(project, fixture.Receiver.Url(path), TimeSpan.Zero, retries: 0));

            await AssertListedOnlyAsync(project, id, EventStatus.Failed);
        }
        finally
        {
            fixture.Receiver.Respond = previous;
        }
    }

    [Fact]
    public async Task A_cancelled_event_is_listed_as_cancelled_only()
    {
        var project = NewProject();
        var id = Events.NewId();
        await Event(id).Create(Webhook(project, fixture.Receiver.Url($"/status-cancelled/{id}"), TimeSpan.FromHours(1)));

        await Event(id).Cancel();

        await AssertListedOnlyAsync(project, id, EventStatus.Cancelled);
    }

    [Fact]
    public async Task A_stale_entry_is_left_out_of_the_list_and_repaired_by_the_event_the_list_asks()
    {
        var project = NewProject();
        var id = Events.NewId();
        var created = await Event(id).Create(Webhook(project, fixture.Receiver.Url($"/status-stale/{id}"), TimeSpan.FromHours(1)));

        // As a crash between an index write and the state write would leave it: listed under a status it is not in.
        var db = fixture.RedisClient.GetDatabase();
        foreach (var owner in new[] { project, ProjectNames.Every })
        {
            await db.SortedSetAddAsync(StatusIndexKeys.Set(ServiceId, IdShards.Of(id), owner, EventStatus.Delivered), id, CreationScore.Of(created.CreatedAt));
        }

        Assert.Equal(id, Assert.Single((await ListAllAsync(project)).Items).Id); // once, though two statuses' sets hold it
        var delivered = await ListAsync(project, EventStatus.Delivered);
        Assert.Empty(delivered.Items);
        Assert.Equal(1, delivered.Total); // the index's count, stale entry included
        Assert.DoesNotContain(await ListAsync(ProjectNames.Every, EventStatus.Delivered, q: id), v => v.Id == id);
        Assert.Contains((await ListAsync(project, EventStatus.Scheduled)).Items, v => v.Id == id);

        // The list that met the stale entry asked the event to write its entry again: the stale one goes.
        await Poll.UntilAsync(() => ListAsync(project, EventStatus.Delivered), page => page.Total == 0, TimeSpan.FromSeconds(10), "the stale entry repaired");
        await AssertListedOnlyAsync(project, id, EventStatus.Scheduled);

        await Event(id).Cancel();

        await AssertListedOnlyAsync(project, id, EventStatus.Cancelled);
    }

    [Fact]
    public async Task Without_a_status_filter_every_event_is_listed_newest_first_whatever_its_status()
    {
        var project = NewProject();
        var ids = new List<string>();
        foreach (var dueIn in new[] { TimeSpan.FromHours(1), TimeSpan.Zero, TimeSpan.FromHours(2) })
        {
            var id = Events.NewId();
            await Event(id).Create(Webhook(project, fixture.Receiver.Url($"/status-all/{id}"), dueIn), DateTimeOffset.UtcNow.AddSeconds(ids.Count));
            ids.Add(id);
        }

        await Event(ids[2]).Cancel();
        await AssertListedOnlyAsync(project, ids[1], EventStatus.Delivered);

        var all = await ListAllAsync(project);
        Assert.Equal(Enumerable.Reverse(ids), all.Items.Select(v => v.Id));
        Assert.Equal([EventStatus.Cancelled, EventStatus.Delivered, EventStatus.Scheduled], all.Items.Select(v => v.Status));
        Assert.Equal(3, all.Total);
        var secondPage = await Grains.GetGrain<IEventListGrain>(0).Page(new EventListRequest(project, null, null, 2, 2));
        Assert.Equal((ids[0], 3L), (Assert.Single(secondPage.Items).Id, secondPage.Total));
    }

    [Fact]
    public async Task Far_events_created_through_the_intake_are_listed_as_scheduled()
    {
        var project = NewProject();
        var ids = Enumerable.Range(0, 5).Select(_ => Events.NewId()).ToList();
        var batch = ids.Select(id => new NewEvent(id, Webhook(project, fixture.Receiver.Url($"/status-intake/{id}"), TimeSpan.FromHours(2)))).ToList();

        Assert.All(await Grains.GetGrain<IEventIntakeGrain>(0).CreateMany(batch), result => Assert.Equal(CreateOutcome.Stored, result.Outcome));

        foreach (var id in ids)
        {
            Assert.Equal(("Scheduled", "Scheduled"), await IndexedAsync(project, id));
        }

        var listed = await ListAsync(project, EventStatus.Scheduled);
        Assert.Equal(ids.Order(), listed.Items.Select(v => v.Id).Order());
        Assert.Equal(ids.Count, listed.Total);
        foreach (var id in ids)
        {
            Assert.Contains(await ListAsync(ProjectNames.Every, EventStatus.Scheduled, q: id), v => v.Id == id);
            await Event(id).Cancel();
        }

        Assert.Equal(0, (await ListAsync(project, EventStatus.Scheduled)).Total);
        Assert.Equal(ids.Count, (await ListAsync(project, EventStatus.Cancelled)).Total);
    }

    /// <summary>A page of the project's list under one status (every project's: <paramref name="q"/> narrows it to the test's event).</summary>
    private async Task<IReadOnlyList<EventView>> ListAsync(string project, EventStatus status, string q) =>
        (await Grains.GetGrain<IEventListGrain>(0).Page(new EventListRequest(project, status, q, 1, 100))).Items;

    private Task<EventPage> ListAsync(string project, EventStatus status) =>
        Grains.GetGrain<IEventListGrain>(0).Page(new EventListRequest(project, status, null, 1, 100));

    private Task<EventPage> ListAllAsync(string project) =>
        Grains.GetGrain<IEventListGrain>(0).Page(new EventListRequest(project, null, null, 1, 100));

    /// <summary>
    /// Waits for the event to be listed under <paramref name="status"/>, then checks it is under no other:
    /// in the lists of its project and every project's, and in the index's sets themselves.
    /// </summary>
    private async Task AssertListedOnlyAsync(string project, string id, EventStatus status)
    {
        await Poll.UntilAsync(() => ListAsync(project, status), page => page.Items.Any(v => v.Id == id), Deadline, $"event {id} listed as {status}");
        Assert.Contains(await ListAsync(ProjectNames.Every, status, q: id), v => v.Id == id);
        Assert.Equal((status.ToString(), status.ToString()), await IndexedAsync(project, id));
        Assert.Single((await ListAllAsync(project)).Items, v => v.Id == id);
        foreach (var other in StatusIndexKeys.Statuses.Where(s => s != status))
        {
            Assert.DoesNotContain((await ListAsync(project, other)).Items, v => v.Id == id);
        }
    }

    /// <summary>The statuses whose sets hold the event (comma-separated, to compare by content): its project's, and every project's.</summary>
    private async Task<(string Project, string Every)> IndexedAsync(string project, string id)
    {
        var db = fixture.RedisClient.GetDatabase();
        var shard = IdShards.Of(id);
        async Task<string> HoldingAsync(string owner)
        {
            var scores = await Task.WhenAll(StatusIndexKeys.Statuses.Select(status => db.SortedSetScoreAsync(StatusIndexKeys.Set(ServiceId, shard, owner, status), id)));
            return string.Join(",", StatusIndexKeys.Statuses.Where((_, i) => scores[i] is not null));
        }

        return (await HoldingAsync(project), await HoldingAsync(ProjectNames.Every));
    }
}
