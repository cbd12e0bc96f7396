namespace Eventd.Grains.Batching;

/// <summary>
/// Joins writes to one Redis key (or one key set) that grains of this silo make at nearly the same time:
/// per key, one write is in flight, and those arriving meanwhile go together in the next one. An idle key's
/// write goes at once, alone; a busy key's cost a command (or a script) per batch rather than per write.
/// Each caller's task completes once its batch is written, and fails as its batch failed.
/// </summary>
/// <remarks>
/// The first batch is sent from its caller's turn; the loop awaits without the caller's context, so the
/// batches after it are sent from the thread pool, never from the scheduler of the grain whose write
/// started it: that activation may be gone by then.
/// </remarks>
public sealed class KeyedWrites<TKey, TItem>(Func<TKey, IReadOnlyList<TItem>, Task> write)
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, List<Waiting>> _waiting = [];

    public Task WriteAsync(TKey key, TItem item)
    {
        var waiting = new Waiting(item, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        bool start;
        lock (_gate)
        {
            // A key is in the dictionary while a batch of it is in flight: arrivals join its next one.
            start = !_waiting.TryGetValue(key, out var queue);
            if (start)
            {
                _waiting[key] = [];
            }
            else
            {
                queue!.Add(waiting);
            }
        }

        if (start)
        {
            // Not awaited: the caller waits for its own item; the loop goes on for whoever joins meanwhile.
            _ = WriteWhileWaitingAsync(key, [waiting]);
        }

        return waiting.Done.Task;
    }

    private async Task WriteWhileWaitingAsync(TKey key, List<Waiting> batch)
    {
        while (batch.Count > 0)
        {
            try
            {
                await write(key, batch.ConvertAll(w => w.Item)).ConfigureAwait(false);
                batch.ForEach(w => w.Done.TrySetResult());
            }
            catch (Exception ex)
            {
                batch.ForEach(w => w.Done.TrySetException(ex));
            }

            batch = Next(key);
        }
    }

    /// <summary>What arrived while the last batch was in flight; empty (and the key idle again) when nothing did.</summary>
    private List<Waiting> Next(TKey key)
    {
        lock (_gate)
        {
            var next = _waiting[key];
            if (next.Count == 0)
            {
                _waiting.Remove(key);
            }
            else
            {
                _waiting[key] = [];
            }

            return next;
        }
    }

    private sealed record Waiting(TItem Item, TaskCompletionSource Done);
}
