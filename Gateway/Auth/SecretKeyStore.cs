using System.Collections.Concurrent;
using System.Text.Json;
using Eventd.Gateway.Hosting;
using StackExchange.Redis;

namespace Eventd.Gateway.Auth;

/// <summary>
/// Project keys in Redis: one hash by name (what <c>GET /v1/keys</c> lists) and one by the secret's
/// SHA-256 (what a request is checked against), written and removed together in one transaction.
/// </summary>
public sealed class SecretKeyStore(IConnectionMultiplexer redis, ClusterIdentity identity, TimeProvider time)
{
    /// <summary>
    /// How long this gateway trusts a key it has checked without asking Redis again. A revoke through
    /// this gateway takes effect at once; through another gateway, within this time.
    /// </summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly RedisKey _byName = $"{identity.ServiceId}/keys/by-name";
    private readonly RedisKey _byHash = $"{identity.ServiceId}/keys/by-hash";
    private readonly ConcurrentDictionary<string, (SecretKeyRecord Key, DateTimeOffset Until)> _checked = new(StringComparer.Ordinal);

    private IDatabase Db => redis.GetDatabase();

    /// <summary>Stores a new key under <paramref name="name"/>; false when that name is taken.</summary>
    public async Task<bool> AddAsync(SecretKeyRecord key)
    {
        var json = JsonSerializer.Serialize(key, Json);
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.HashNotExists(_byName, key.Name));
        _ = transaction.HashSetAsync(_byName, key.Name, json);
        _ = transaction.HashSetAsync(_byHash, key.Hash, json);
        return await transaction.ExecuteAsync();
    }

    public async Task<IReadOnlyList<SecretKeyRecord>> ListAsync() =>
        (await Db.HashValuesAsync(_byName)).Select(Parse).OfType<SecretKeyRecord>().OrderBy(k => k.Name, StringComparer.Ordinal).ToList();

    /// <summary>Revokes the key named <paramref name="name"/>; false when there is none.</summary>
    public async Task<bool> RevokeAsync(string name)
    {
        var stored = await Db.HashGetAsync(_byName, name);
        if (Parse(stored) is not { } key)
        {
            return false;
        }

        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.HashEqual(_byName, name, stored));
        _ = transaction.HashDeleteAsync(_byName, name);
        _ = transaction.HashDeleteAsync(_byHash, key.Hash);
        var revoked = await transaction.ExecuteAsync();
        _checked.TryRemove(key.Hash, out _);

        // Replaced between the read and the transaction: that newer key is what gets revoked.
        return revoked || await RevokeAsync(name);
    }

    /// <summary>The key whose secret was presented, or null when there is none.</summary>
    public async Task<SecretKeyRecord?> FindAsync(string secret)
    {
        var hash = SecretHash.Of(secret);
        var now = time.GetUtcNow();
        if (_checked.TryGetValue(hash, out var known) && known.Until > now)
        {
            return known.Key;
        }

        var key = Parse(await Db.HashGetAsync(_byHash, hash));
        if (key is null)
        {
            _checked.TryRemove(hash, out _);
            return null;
        }

        _checked[hash] = (key, now + CacheFor);
        return key;
    }

    private static SecretKeyRecord? Parse(RedisValue json) =>
        json.IsNull ? null : JsonSerializer.Deserialize<SecretKeyRecord>(json.ToString(), Json);
}
