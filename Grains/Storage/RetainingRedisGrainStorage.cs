using Eventd.Grains.Interfaces.Options;
using Eventd.Grains.Retention;
using Orleans.Storage;
using StackExchange.Redis;

namespace Eventd.Grains.Storage;

/// <summary>
/// The Redis grain storage of Eventd's own grains: the same keys, hashes and ETag rules as Orleans'
/// (<c>{ServiceId}/state/{grainId}/{stateName}</c>, fields <c>etag</c> and <c>data</c>), plus retention. A
/// state that has settled (<see cref="ISettlingState"/>) gets its key's expiry in the very script that
/// writes it, and one that has not loses any expiry there: no crash can leave a settled state that is
/// kept forever, or an un-settled one that expires. An ETag ends with whether its write set an expiry,
/// so a write after one that set none (nearly every write: creates, fires) spends no command removing one.
/// </summary>
public sealed class RetainingRedisGrainStorage(
    Func<IConnectionMultiplexer> connection,
    IGrainStorageSerializer serializer,
    string serviceId,
    RetentionOptions retention) : IGrainStorage
{
    // ARGV: the ETag the writer read ('' for none: the key must not exist), the new ETag, the data, the
    // expiry in Unix milliseconds ('' for none), and '1' when the key may have an expiry to remove.
    private const string WriteScript = """
        local etag = redis.call('HGET', KEYS[1], 'etag')
        if (not etag and ARGV[1] == '') or etag == ARGV[1] then
          redis.call('HSET', KEYS[1], 'etag', ARGV[2], 'data', ARGV[3])
          if ARGV[4] ~= '' then
            redis.call('PEXPIREAT', KEYS[1], ARGV[4])
          elseif ARGV[5] == '1' then
            redis.call('PERSIST', KEYS[1])
          end
          return 0
        end
        return -1
        """;

    /// <summary>The last character of an ETag whose write set no expiry; any other ETag (one that set an expiry, or one written before the marks) may have one.</summary>
    private const char Persistent = 'p';

    private const char Expiring = 'x';

    // A key already gone (expired) clears as well as one that matches: the grain only wants it gone.
    private const string ClearScript = """
        local etag = redis.call('HGET', KEYS[1], 'etag')
        if not etag or etag == ARGV[1] then
          redis.call('DEL', KEYS[1])
          return 0
        end
        return -1
        """;

    private IDatabase Db => connection().GetDatabase();

    public static RedisKey Key(string serviceId, GrainId grainId, string stateName) => $"{serviceId}/state/{grainId}/{stateName}";

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var fields = await Db.HashGetAsync(Key(serviceId, grainId, stateName), ["etag", "data"]);
        if (fields[0].HasValue && fields[1].HasValue)
        {
            grainState.State = serializer.Deserialize<T>(new BinaryData((byte[])fields[1]!))!;
            grainState.ETag = fields[0].ToString();
            grainState.RecordExists = true;
        }
        else
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        RedisValue expiresAt = grainState.State is ISettlingState settling && RetentionRule.ExpiresAt(settling, retention) is { } at
            ? at.ToUnixTimeMilliseconds()
            : RedisValue.EmptyString;
        var expiring = !expiresAt.IsNullOrEmpty;
        var etag = Guid.NewGuid().ToString("N") + (expiring ? Expiring : Persistent);
        var mayHaveExpiry = grainState.ETag is { } read && !read.EndsWith(Persistent);
        var result = await Db.ScriptEvaluateAsync(
            WriteScript,
            [Key(serviceId, grainId, stateName)],
            [grainState.ETag ?? "", etag, serializer.Serialize(grainState.State).ToArray(), expiresAt, !expiring && mayHaveExpiry ? "1" : ""]);
        if ((int)result == -1)
        {
            throw new InconsistentStateException($"Version conflict writing {stateName} of {grainId}: ETag {grainState.ETag} is not the stored one");
        }

        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var result = await Db.ScriptEvaluateAsync(ClearScript, [Key(serviceId, grainId, stateName)], [grainState.ETag ?? ""]);
        if ((int)result == -1)
        {
            throw new InconsistentStateException($"Version conflict clearing {stateName} of {grainId}: ETag {grainState.ETag} is not the stored one");
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
    }
}
