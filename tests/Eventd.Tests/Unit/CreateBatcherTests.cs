using System.Threading.Channels;
using Eventd.Gateway.Intake;
using Eventd.Grains.Interfaces;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>The gateway's create batching: alone when idle, together while calls are in flight, never lost.</summary>
public sealed class CreateBatcherTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>Answers a call: every event of it stored.</summary>
    private static void Store((IReadOnlyList<NewEvent> Events, TaskCompletionSource<CreateResult[]> Done) call) =>
        call.Done.SetResult([.. call.Events.Select(_ => new CreateResult(CreateOutcome.Stored))]);

    /// <summary>Starts as many creates as may be in flight and takes their calls, unanswered: the next creates must wait.</summary>
    private static async Task<(List<Task> Creates, List<(IReadOnlyList<NewEvent> Events, TaskCompletionSource<CreateResult[]> Done)> Calls)> FillInFlightAsync(
        CreateBatcher batcher, HeldCluster cluster)
    {
        var creates = Enumerable.Range(0, CreateBatcher.MaxInFlight).Select(i => batcher.CreateAsync($"first{i}", Spec())).ToList();
        var calls = new List<(IReadOnlyList<NewEvent> Events, TaskCompletionSource<CreateResult[]> Done)>();
        for (var i = 0; i < CreateBatcher.MaxInFlight; i++)
        {
            calls.Add(await cluster.NextAsync());
        }

        return (creates, calls);
    }

    private static EventSpec Spec() => new() { Schedule = new ScheduleSpec { FirstDueAt = DateTimeOffset.UnixEpoch }, Channel = "c" };

    /// <summary>A cluster whose calls finish only when the test releases them.</summary>
    private sealed class HeldCluster
    {
        private readonly Channel<(IReadOnlyList<NewEvent> Events, TaskCompletionSource<CreateResult[]> Done)> _calls =
            Channel.CreateUnbounded<(IReadOnlyList<NewEvent>, TaskCompletionSource<CreateResult[]>)>();

        public bool NoCallWaiting => !_calls.Reader.TryPeek(out _);

        public Task<CreateResult[]> Send(IReadOnlyList<NewEvent> events)
        {
            var done = new TaskCompletionSource<CreateResult[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            _calls.Writer.TryWrite((events, done));
            return done.Task;
        }

        public async Task<(IReadOnlyList<NewEvent> Events, TaskCompletionSource<CreateResult[]> Done)> NextAsync()
        {
            using var timeout = new CancellationTokenSource(Deadline);
            return await _calls.Reader.ReadAsync(timeout.Token);
        }
    }

    [Fact]
    public async Task An_idle_batcher_sends_each_create_at_once_alone()
    {
        var cluster = new HeldCluster();
        var batcher = new CreateBatcher(cluster.Send);

        var created = batcher.CreateAsync("a", Spec());
        var call = await cluster.NextAsync();

        Assert.Equal(["a"], call.Events.Select(e => e.Id));
        Assert.False(created.IsCompleted, "a create is answered only once the cluster has stored it");
        Store(call);
        await created.WaitAsync(Deadline);
    }

    [Fact]
    public async Task Creates_arriving_while_every_call_is_in_flight_go_together_in_the_next_call()
    {
        var cluster = new HeldCluster();
        var batcher = new CreateBatcher(cluster.Send);
        var (first, inFlight) = await FillInFlightAsync(batcher, cluster);

        var waiting = Enumerable.Range(0, 10).Select(i => batcher.CreateAsync($"later{i}", Spec())).ToList();
        Assert.True(cluster.NoCallWaiting, "no call beyond the in-flight limit");
        Store(inFlight[0]);
        var batch = await cluster.NextAsync();

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"later{i}"), batch.Events.Select(e => e.Id));
        await first[0].WaitAsync(Deadline);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));
        Store(batch);
        await Task.WhenAll(waiting).WaitAsync(Deadline);
        inFlight.Skip(1).ToList().ForEach(Store);
        await Task.WhenAll(first).WaitAsync(Deadline);
    }

    [Fact]
    public async Task Ids_minted_while_a_batch_waits_share_its_shard_and_the_next_batch_takes_another()
    {
        var cluster = new HeldCluster();
        var batcher = new CreateBatcher(cluster.Send);
        var (blockers, inFlight) = await FillInFlightAsync(batcher, cluster);

        var firstIds = Enumerable.Range(0, 20).Select(_ => batcher.NewId()).ToList();
        var first = firstIds.Select(id => batcher.CreateAsync(id, Spec())).ToList();
        Store(inFlight[0]);
        var firstBatch = await cluster.NextAsync();
        var secondIds = Enumerable.Range(0, 20).Select(_ => batcher.NewId()).ToList();
        var second = secondIds.Select(id => batcher.CreateAsync(id, Spec())).ToList();
        Store(inFlight[1]);
        var secondBatch = await cluster.NextAsync();

        Assert.Equal(firstIds, firstBatch.Events.Select(e => e.Id));
        Assert.Equal(secondIds, secondBatch.Events.Select(e => e.Id));
        Assert.Single(firstIds.Select(IdShards.Of).Distinct());
        Assert.Single(secondIds.Select(IdShards.Of).Distinct());
        Assert.NotEqual(IdShards.Of(firstIds[0]), IdShards.Of(secondIds[0]));
        Store(firstBatch);
        Store(secondBatch);
        inFlight.Skip(2).ToList().ForEach(Store);
        await Task.WhenAll(first.Concat(second).Concat(blockers)).WaitAsync(Deadline);
    }

    [Fact]
    public async Task A_batch_holds_at_most_MaxBatch_creates()
    {
        var cluster = new HeldCluster();
        var batcher = new CreateBatcher(cluster.Send);
        var (blockers, inFlight) = await FillInFlightAsync(batcher, cluster);

        var waiting = Enumerable.Range(0, CreateBatcher.MaxBatch + 5).Select(i => batcher.CreateAsync($"w{i}", Spec())).ToList();
        inFlight.ForEach(Store);
        var sizes = new List<int>();
        while (sizes.Sum() < waiting.Count)
        {
            var call = await cluster.NextAsync();
            sizes.Add(call.Events.Count);
            Store(call);
        }

        await Task.WhenAll(waiting.Concat(blockers)).WaitAsync(Deadline);
        Assert.All(sizes, size => Assert.InRange(size, 1, CreateBatcher.MaxBatch));
        Assert.Equal(CreateBatcher.MaxBatch, sizes.Max());
    }

    [Fact]
    public async Task A_failed_call_fails_its_creates_and_the_next_creates_still_go()
    {
        var cluster = new HeldCluster();
        var batcher = new CreateBatcher(cluster.Send);

        var failing = batcher.CreateAsync("x", Spec());
        (await cluster.NextAsync()).Done.SetException(new TimeoutException("cluster: no answer"));
        var failure = await Assert.ThrowsAsync<TimeoutException>(() => failing.WaitAsync(Deadline));
        var next = batcher.CreateAsync("y", Spec());
        Store(await cluster.NextAsync());

        Assert.Equal("cluster: no answer", failure.Message);
        await next.WaitAsync(Deadline);
    }

    [Fact]
    public async Task An_event_the_cluster_could_not_store_fails_alone()
    {
        var cluster = new HeldCluster();
        var batcher = new CreateBatcher(cluster.Send);
        var (blockers, inFlight) = await FillInFlightAsync(batcher, cluster);

        var stored = batcher.CreateAsync("stored", Spec());
        var lost = batcher.CreateAsync("not-stored", Spec());
        Store(inFlight[0]);
        var batch = await cluster.NextAsync();
        batch.Done.SetResult([.. batch.Events.Select(e => new CreateResult(e.Id == "not-stored" ? CreateOutcome.Failed : CreateOutcome.Stored))]);

        await stored.WaitAsync(Deadline);
        var failure = await Assert.ThrowsAsync<OrleansException>(() => lost.WaitAsync(Deadline));
        Assert.Contains("not-stored", failure.Message, StringComparison.Ordinal);
        inFlight.Skip(1).ToList().ForEach(Store);
        await Task.WhenAll(blockers).WaitAsync(Deadline);
    }

    [Fact]
    public async Task A_fields_create_answers_null_once_stored_and_the_rule_it_breaks_when_refused()
    {
        var cluster = new HeldCluster();
        var batcher = new CreateBatcher(cluster.Send);
        var (blockers, inFlight) = await FillInFlightAsync(batcher, cluster);

        var stored = batcher.CreateFromFieldsAsync("ok", "shop", new EventFields { Channel = "c" });
        var refused = batcher.CreateFromFieldsAsync("bad", "shop", new EventFields { Delay = 5 });
        Store(inFlight[0]);
        var batch = await cluster.NextAsync();
        batch.Done.SetResult([new CreateResult(CreateOutcome.Stored), new CreateResult(CreateOutcome.Invalid, "url: required")]);

        Assert.Equal([("ok", "shop"), ("bad", "shop")], batch.Events.Select(e => (e.Id, e.Project)));
        Assert.All(batch.Events, e => Assert.Null(e.Spec));
        Assert.Null(await stored.WaitAsync(Deadline));
        Assert.Equal("url: required", await refused.WaitAsync(Deadline));
        inFlight.Skip(1).ToList().ForEach(Store);
        await Task.WhenAll(blockers).WaitAsync(Deadline);
    }

    [Fact]
    public async Task A_ready_spec_answered_invalid_is_not_taken_for_stored()
    {
        var cluster = new HeldCluster();
        var batcher = new CreateBatcher(cluster.Send);

        var created = batcher.CreateAsync("ready", Spec());
        (await cluster.NextAsync()).Done.SetResult([new CreateResult(CreateOutcome.Invalid, "url: required")]);

        await Assert.ThrowsAsync<OrleansException>(() => created.WaitAsync(Deadline));
    }
}
