using System.Threading.Channels;
using Eventd.Grains.Batching;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>Writes to one key joined while one is in flight: alone when idle, together when busy, each key on its own, failures their batch's only.</summary>
public sealed class KeyedWritesTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>A store whose writes finish only when the test releases them.</summary>
    private sealed class HeldStore
    {
        private readonly Channel<(string Key, IReadOnlyList<int> Items, TaskCompletionSource Done)> _writes =
            Channel.CreateUnbounded<(string, IReadOnlyList<int>, TaskCompletionSource)>();

        public bool NoWriteWaiting => !_writes.Reader.TryPeek(out _);

        public Task Write(string key, IReadOnlyList<int> items)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _writes.Writer.TryWrite((key, items, done));
            return done.Task;
        }

        public async Task<(string Key, IReadOnlyList<int> Items, TaskCompletionSource Done)> NextAsync()
        {
            using var timeout = new CancellationTokenSource(Deadline);
            return await _writes.Reader.ReadAsync(timeout.Token);
        }
    }

    [Fact]
    public async Task An_idle_keys_write_goes_at_once_alone_and_completes_once_written()
    {
        var store = new HeldStore();
        var writes = new KeyedWrites<string, int>(store.Write);

        var written = writes.WriteAsync("a", 1);
        var write = await store.NextAsync();

        Assert.Equal("a", write.Key);
        Assert.Equal([1], write.Items);
        Assert.False(written.IsCompleted, "a write completes only once the store has it");
        write.Done.SetResult();
        await written.WaitAsync(Deadline);
    }

    [Fact]
    public async Task Writes_arriving_while_one_is_in_flight_go_together_next_and_other_keys_do_not_wait()
    {
        var store = new HeldStore();
        var writes = new KeyedWrites<string, int>(store.Write);
        var first = writes.WriteAsync("a", 1);
        var inFlight = await store.NextAsync();

        var waiting = Enumerable.Range(2, 5).Select(i => writes.WriteAsync("a", i)).ToList();
        var other = writes.WriteAsync("b", 9);
        var otherWrite = await store.NextAsync();
        Assert.Equal("b", otherWrite.Key);
        Assert.Equal([9], otherWrite.Items);
        Assert.True(store.NoWriteWaiting, "key a waits for its write in flight");
        otherWrite.Done.SetResult();
        await other.WaitAsync(Deadline);

        inFlight.Done.SetResult();
        var batch = await store.NextAsync();

        Assert.Equal("a", batch.Key);
        Assert.Equal([2, 3, 4, 5, 6], batch.Items);
        await first.WaitAsync(Deadline);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));
        batch.Done.SetResult();
        await Task.WhenAll(waiting).WaitAsync(Deadline);
    }

    [Fact]
    public async Task A_failed_write_fails_its_batch_only_and_the_key_writes_again_after_it()
    {
        var store = new HeldStore();
        var writes = new KeyedWrites<string, int>(store.Write);
        var failing = writes.WriteAsync("a", 1);
        var inFlight = await store.NextAsync();
        var next = writes.WriteAsync("a", 2);

        inFlight.Done.SetException(new TimeoutException("redis: no answer"));
        var failure = await Assert.ThrowsAsync<TimeoutException>(() => failing.WaitAsync(Deadline));
        var second = await store.NextAsync();
        second.Done.SetResult();
        await next.WaitAsync(Deadline);
        var later = writes.WriteAsync("a", 3);
        (await store.NextAsync()).Done.SetResult();

        Assert.Equal("redis: no answer", failure.Message);
        Assert.Equal([2], second.Items);
        await later.WaitAsync(Deadline);
    }
}
