using System.Collections.Concurrent;
using Eventd.Grains.Delivery;
using Eventd.Grains.Interfaces;
using Polly;
using Polly.Retry;

namespace Eventd.Grains.Signing;

/// <summary>
/// A silo's signers per project, asked of the project's <see cref="IProjectSecretsGrain"/> at most once per
/// <see cref="ProjectSigning.CacheFor"/>: signing is on every fire's path, and a grain call per attempt would
/// cost more than the HMAC. An answer counts from when it was asked for (so none outlives a rotation by more
/// than <see cref="ProjectSigning.CacheFor"/>) and never past the end of an overlap it includes.
/// </summary>
public sealed class ProjectSigningCache(ConfiguredSigning configured, Func<string, Task<ProjectSigning>> ask, TimeProvider time)
{
    /// <summary>
    /// How long a failing ask is retried before the attempt fails: the grain's silo may just have died, and its
    /// calls are rejected until the cluster declares it dead and the grain is placed again (seconds), which is
    /// no fault of the receiver's and must not spend a fire's attempts.
    /// </summary>
    public static readonly TimeSpan AskFor = TimeSpan.FromSeconds(45);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private readonly ResiliencePipeline _asking = new ResiliencePipelineBuilder { TimeProvider = time }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException),
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(2),
            // The first five waits double up to the 2-s cap; the waits at the cap fill the rest of AskFor.
            MaxRetryAttempts = 5 + (int)(AskFor / TimeSpan.FromSeconds(2)),
        })
        .Build();

    /// <summary>The project's signers; throws what asking its grain threw for <see cref="AskFor"/>, and asks again next time.</summary>
    public ValueTask<SignatureHeader> ForAsync(string project)
    {
        var now = time.GetUtcNow();
        if (!_entries.TryGetValue(project, out var entry) || !entry.FreshAt(now))
        {
            // Two callers may both ask at once; the answers are the same, the later one stays.
            entry = new Entry(LoadAsync(project), now + ProjectSigning.CacheFor);
            _entries[project] = entry;
        }

        return entry.Loading.IsCompletedSuccessfully ? new(entry.Loading.Result.Header) : HeaderAsync(entry.Loading);
    }

    private static async ValueTask<SignatureHeader> HeaderAsync(Task<Loaded> loading) => (await loading).Header;

    private async Task<Loaded> LoadAsync(string project)
    {
        var signing = await _asking.ExecuteAsync(static async (state, _) => await state.ask(state.project), (ask, project));
        if (signing.Secrets.Count == 0 && signing.WithConfigured)
        {
            return new Loaded(configured.Header, signing.Until);
        }

        IReadOnlyList<WebhookSigner> secrets = [.. signing.Secrets.Select(secret => new WebhookSigner(secret)), .. signing.WithConfigured ? configured.Secrets : []];
        return new Loaded(new SignatureHeader(secrets, configured.Key), signing.Until);
    }

    private sealed record Loaded(SignatureHeader Header, DateTimeOffset? Until);

    private sealed record Entry(Task<Loaded> Loading, DateTimeOffset ExpiresAt)
    {
        /// <summary>A load under way is waited for; a failed one is retried; a loaded one lasts until it expires.</summary>
        public bool FreshAt(DateTimeOffset now) =>
            !Loading.IsCompleted
            || (Loading.IsCompletedSuccessfully && now < ExpiresAt && (Loading.Result.Until is not { } until || now < until));
    }
}
