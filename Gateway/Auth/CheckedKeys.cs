using System.Collections.Concurrent;
using Eventd.Gateway.Hosting;
using Eventd.Grains.Interfaces;

namespace Eventd.Gateway.Auth;

/// <summary>
/// The keys this gateway checked lately. A request's key is checked by the <see cref="IApiKeyGrain"/> its
/// secret's hash names; an answer is trusted for <see cref="CacheFor"/>, so a busy client costs a grain
/// call every few seconds, not one per request.
/// </summary>
public sealed class CheckedKeys(ClusterConnection cluster, TimeProvider time)
{
    /// <summary>
    /// How long this gateway trusts a key it has checked without asking its grain again. A revoke through
    /// this gateway takes effect at once (<see cref="Forget"/>); through another gateway, within this time.
    /// </summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (ApiKey Key, DateTimeOffset Until)> _checked = new(StringComparer.Ordinal);

    // Counts revokes through this gateway: a check that a revoke overtook is answered but not kept,
    // or it could put the revoked key back after Forget removed it. Written first and checked after,
    // so either this check or Forget's scan (which follows its count) removes it.
    private long _revokes;

    /// <summary>The key whose secret was presented, or null when none is issued.</summary>
    public async Task<ApiKey?> FindAsync(string secret)
    {
        var hash = SecretHash.Of(secret);
        var now = time.GetUtcNow();
        if (_checked.TryGetValue(hash, out var known) && known.Until > now)
        {
            return known.Key;
        }

        var revokesBefore = Interlocked.Read(ref _revokes);
        var key = await RejectedCalls.RetryAsync(cluster.Client.GetGrain<IApiKeyGrain>(hash).Authenticate);
        if (key is null)
        {
            _checked.TryRemove(hash, out _);
            return null;
        }

        _checked[hash] = (key, now + CacheFor);
        if (Interlocked.Read(ref _revokes) != revokesBefore)
        {
            _checked.TryRemove(hash, out _);
        }

        return key;
    }

    /// <summary>Stops trusting the key named <paramref name="name"/> here at once (it was revoked).</summary>
    public void Forget(string name)
    {
        Interlocked.Increment(ref _revokes);
        foreach (var (hash, known) in _checked)
        {
            if (string.Equals(known.Key.Name, name, StringComparison.Ordinal))
            {
                _checked.TryRemove(hash, out _);
            }
        }
    }
}
