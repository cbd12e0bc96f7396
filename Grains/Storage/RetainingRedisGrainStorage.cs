using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Eventd.Grains.Interfaces.Options;
using Eventd.Grains.Retention;
using Orleans.Storage;
using StackExchange.Redis;

namespace Eventd.Grains.Storage;

/// <summary>
/// The Redis grain storage of Eventd's own grains, with retention. A state is one string under Orleans'
/// key (<c>{ServiceId}/state/{grainId}/{stateName}</c>): its ETag (<see cref="ETagLength"/> characters)
/// followed by its data. A string, not Orleans' hash of <c>etag</c> and <c>data</c>, because a pending
/// event's state is most of what it costs in Redis (a hash of that size costs about 200 bytes more), and
/// because a first write is then one <c>SET NX</c>. A state that has settled (<see cref="ISettlingState"/>)
/// gets its expiry in the very command that writes it, and one that has not loses any expiry there (a
/// plain <c>SET</c> clears it): no crash can leave a settled state kept forever, or an un-settled one that
/// expires. A state stored as a hash (before this format) is read, and the next write replaces it.
/// </summary>
public sealed class RetainingRedisGrainStorage(
    Func<IConnectionMultiplexer> connection,
    IGrainStorageSerializer serializer,
    string serviceId,
    RetentionOptions retention) : IGrainStorage
{
    /// <summary>The characters of an ETag: 9 random bytes in base64url.</summary>
    public const int ETagLength = 12;

    // The stored ETag: the value's first ETagLength characters, or a hash's 'etag' field ('' for no key).
    private static readonly string StoredETag = $"""
        local function stored_etag()
          local etag = redis.pcall('GETRANGE', KEYS[1], 0, {ETagLength - 1})
          if type(etag) == 'table' then
            return redis.call('HGET', KEYS[1], 'etag') or ''
          end
          return etag
        end
        """;

    // ARGV: the ETag the writer read, the new value (ETag and data), the expiry in Unix milliseconds ('' for none).
    private static readonly string WriteScript = StoredETag + """

        if stored_etag() ~= ARGV[1] then
          return -1
        end
        if ARGV[3] ~= '' then
          redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[3])
        else
          redis.call('SET', KEYS[1], ARGV[2])
        end
        return 0
        """;

    // A key already gone (expired) clears as well as one that matches: the grain only wants it gone.
    private static readonly string ClearScript = StoredETag + """

        local etag = stored_etag()
        if etag == '' or etag == ARGV[1] then
          redis.call('DEL', KEYS[1])
          return 0
        end
        return -1
        """;

    private IDatabase Db => connection().GetDatabase();

    public static RedisKey Key(string serviceId, GrainId grainId, string stateName) => $"{serviceId}/state/{grainId}/{stateName}";

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(serviceId, grainId, stateName);
        var (etag, data) = await ReadAsync(key);
        if (etag is not null)
        {
            grainState.State = serializer.Deserialize<T>(new BinaryData(data))!;
            grainState.ETag = etag;
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
        var expiresAt = grainState.State is ISettlingState settling ? RetentionRule.ExpiresAt(settling, retention) : null;
        var etag = NewETag();
        var value = Value(etag, serializer.Serialize(grainState.State));
        var key = Key(serviceId, grainId, stateName);
        var written = grainState.ETag is null
            ? await Db.StringSetAsync(key, value, expiresAt is { } at ? new Expiration(at.UtcDateTime) : Expiration.Default, When.NotExists)
            : (int)await Db.ScriptEvaluateAsync(WriteScript, [key], [grainState.ETag, value, expiresAt?.ToUnixTimeMilliseconds() ?? RedisValue.EmptyString]) == 0;
        if (!written)
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

    private async Task<(string? ETag, ReadOnlyMemory<byte> Data)> ReadAsync(RedisKey key)
    {
        try
        {
            var value = await Db.StringGetAsync(key);
            if (value.IsNull)
            {
                return (null, default);
            }

            var bytes = (ReadOnlyMemory<byte>)value;
            return (Encoding.ASCII.GetString(bytes.Span[..ETagLength]), bytes[ETagLength..]);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal))
        {
            // Stored as a hash before states were strings.
            var fields = await Db.HashGetAsync(key, ["etag", "data"]);
            return fields[0].HasValue && fields[1].HasValue ? (fields[0].ToString(), (ReadOnlyMemory<byte>)fields[1]) : (null, default);
        }
    }

    private static string NewETag()
    {
        Span<byte> random = stackalloc byte[ETagLength / 4 * 3];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random);
    }

    private static byte[] Value(string etag, BinaryData data)
    {
        var value = new byte[ETagLength + data.Length];
        Encoding.ASCII.GetBytes(etag, value);
        data.ToMemory().Span.CopyTo(value.AsSpan(ETagLength));
        return value;
    }
}
