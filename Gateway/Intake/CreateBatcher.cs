using Eventd.Gateway.Hosting;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.DependencyInjection;

namespace Eventd.Gateway.Intake;

/// <summary>
/// Hands creates to the cluster in batches that form by themselves: up to <see cref="MaxInFlight"/> calls
/// run at once, and creates arriving while they run wait to go together in the next one. An idle gateway
/// sends each create at once, alone; a busy one sends one Orleans message per batch instead of one per
/// create, which is most of what a create costs the gateway and the silo beyond Redis.
/// </summary>
/// <remarks>
/// Each event takes the trace of the request that created it here, on the caller's thread: the batch
/// it goes in may be sent from another request's continuation.
/// </remarks>
public sealed class CreateBatcher(Func<IReadOnlyList<NewEvent>, Task<CreateResult[]>> send)
{
    public const int MaxInFlight = 4;
    public const int MaxBatch = 128;

    private readonly Lock _gate = new();
    private readonly Queue<Pending> _waiting = new();
    private int _inFlight;

    /// <summary>The id shard of the batch filling now (see <see cref="NewId"/>); the next batch takes the next.</summary>
    private int _shard;

    /// <summary>
    /// A new event id in the shard of the batch filling now (<see cref="IdShards"/>), so a batch's events
    /// share one status-index script and one bucket command per minute on the silo, where ids spread over
    /// every shard would cost one of each per shard. An id minted as a batch leaves joins the next one,
    /// which costs only that batch a second script.
    /// </summary>
    public string NewId() => IdShards.NewId(Volatile.Read(ref _shard));

    /// <summary>Completes once the event is stored; fails as the cluster call failed, or when the cluster could not store this one.</summary>
    public Task CreateAsync(string id, EventSpec spec) => Enqueue(new NewEvent(id, spec with { TraceParent = spec.TraceParent ?? TraceParents.OfCurrentActivity() }));

    /// <summary>
    /// Creates the event the Eventd v1 <paramref name="fields"/> make in <paramref name="project"/>: answers
    /// null once it is stored, or the error (naming the field first) of a create rule the fields break, when
    /// nothing was stored. Fails as <see cref="CreateAsync(string, EventSpec)"/> does. <paramref name="createdAt"/>: see <see cref="NewEvent.CreatedAt"/>.
    /// </summary>
    public Task<string?> CreateFromFieldsAsync(string id, string project, EventFields fields, DateTimeOffset? createdAt = null) =>
        Enqueue(new NewEvent(id, Spec: null) { Fields = fields, Project = project, TraceParent = TraceParents.OfCurrentActivity(), CreatedAt = createdAt });

    private Task<string?> Enqueue(NewEvent created)
    {
        var pending = new Pending(created, new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously));
        bool start;
        lock (_gate)
        {
            _waiting.Enqueue(pending);
            start = _inFlight < MaxInFlight;
            if (start)
            {
                _inFlight++;
            }
        }

        if (start)
        {
            _ = SendWhileWaitingAsync();
        }

        return pending.Stored.Task;
    }

    private async Task SendWhileWaitingAsync()
    {
        while (TakeBatch() is { } batch)
        {
            try
            {
                var results = await send(batch.Select(p => p.Event).ToList());
                for (var i = 0; i < batch.Count; i++)
                {
                    Settle(batch[i], results[i]);
                }
            }
            catch (Exception ex)
            {
                foreach (var pending in batch)
                {
                    pending.Stored.TrySetException(ex);
                }
            }
        }
    }

    private static void Settle(Pending pending, CreateResult result)
    {
        switch (result.Outcome)
        {
            case CreateOutcome.Stored:
                pending.Stored.TrySetResult(null);
                break;
            // Only fields are checked by the intake: a ready spec never answers Invalid, and must not read as stored if it did.
            case CreateOutcome.Invalid when pending.Event.Spec is null:
                pending.Stored.TrySetResult(result.Error);
                break;
            default:
                pending.Stored.TrySetException(new OrleansException($"intake: event {pending.Event.Id} could not be stored"));
                break;
        }
    }

    /// <summary>The next batch, or null (and one call fewer in flight) when nothing waits.</summary>
    private List<Pending>? TakeBatch()
    {
        lock (_gate)
        {
            if (_waiting.Count == 0)
            {
                _inFlight--;
                return null;
            }

            _shard = (_shard + 1) % IdShards.Count;
            var batch = new List<Pending>(Math.Min(_waiting.Count, MaxBatch));
            while (batch.Count < MaxBatch && _waiting.TryDequeue(out var next))
            {
                batch.Add(next);
            }

            return batch;
        }
    }

    /// <summary>The batcher of a gateway: batches go to an intake grain of the cluster.</summary>
    public static CreateBatcher ForCluster(IServiceProvider services)
    {
        var cluster = services.GetRequiredService<ClusterConnection>();

        // One reference for every batch; PublicationOnly, so "not connected yet" is not kept as the answer.
        var intake = new Lazy<IEventIntakeGrain>(() => cluster.Client.GetGrain<IEventIntakeGrain>(0), LazyThreadSafetyMode.PublicationOnly);
        // Sent again when the call never reached a silo (one just died): creating an id twice keeps the first.
        return new CreateBatcher(events => RejectedCalls.RetryAsync(() => intake.Value.CreateMany(events)));
    }

    /// <summary>A create waiting for its batch's answer: null once stored, or the rule its fields break.</summary>
    private sealed record Pending(NewEvent Event, TaskCompletionSource<string?> Stored);
}
