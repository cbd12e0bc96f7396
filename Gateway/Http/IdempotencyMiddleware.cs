using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Eventd.Gateway.Auth;
using Eventd.Gateway.Endpoints;
using Eventd.Gateway.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using StackExchange.Redis;

namespace Eventd.Gateway.Http;

/// <summary>
/// What Redis holds for one <c>Idempotency-Key</c>: first the claim of the request in flight (no
/// <see cref="Status"/> yet), then the response it got. <see cref="RequestHash"/> tells a repeat from a reuse.
/// </summary>
public sealed record IdempotencyEntry(string RequestHash, int? Status = null, string? ContentType = null, string? Location = null, byte[]? Body = null);

/// <summary>
/// <c>Idempotency-Key</c> on the routes marked <see cref="IdempotentCreate"/> (API.md "General rules"): the
/// first response to a key is kept 24 h per project in Redis and answered again, with
/// <c>Idempotent-Replayed: true</c>, to every POST that repeats it, without running the endpoint.
/// Registered after routing, so the endpoint's metadata is known.
/// </summary>
public sealed partial class IdempotencyMiddleware(
    RequestDelegate next,
    IConnectionMultiplexer redis,
    ClusterIdentity identity,
    IOptions<ApiOptions> api,
    ILogger<IdempotencyMiddleware> logger)
{
    public const string KeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    private const int MaxKeyLength = 255;

    /// <summary>How long a key's response is remembered.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>
    /// How long an in-flight claim holds the key: long enough for any request to finish, short
    /// enough that a gateway dying mid-request does not lock the key for a day.
    /// </summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(5);

    private static readonly JsonSerializerOptions EntryJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly string _serviceId = identity.ServiceId;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method)
            || context.GetEndpoint()?.Metadata.GetMetadata<IdempotentCreate>() is null
            || !context.Request.Headers.TryGetValue(KeyHeader, out var keyValues))
        {
            await next(context);
            return;
        }

        if (KeyError(keyValues) is { } keyError)
        {
            await FamilyErrors.WriteAsync(context, StatusCodes.Status400BadRequest, keyError);
            return;
        }

        var requestHash = await HashRequestAsync(context.Request);
        if (requestHash is null)
        {
            // Over the body limit: the endpoint answers 413 and creates nothing, so there is nothing to remember.
            await next(context);
            return;
        }

        var key = StorageKey(context, keyValues.ToString());
        var db = redis.GetDatabase();
        (bool Claimed, IdempotencyEntry? Holder) claim;
        try
        {
            claim = await ClaimAsync(db, key, requestHash);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogStoreUnavailable(logger, key, ex);
            await FamilyErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, $"{KeyHeader}: cannot be checked now (store unavailable), try again");
            return;
        }

        await (claim switch
        {
            (true, _) => RunAndRememberAsync(context, db, key, requestHash),
            (_, { } held) when held.RequestHash != requestHash =>
                FamilyErrors.WriteAsync(context, StatusCodes.Status422UnprocessableEntity, $"{KeyHeader}: already used for a different request"),
            (_, { Status: { } status } held) => ReplayAsync(context, status, held),
            _ => FamilyErrors.WriteAsync(context, StatusCodes.Status409Conflict, $"{KeyHeader}: a request with this key is still in progress"),
        });
    }

    private static string? KeyError(StringValues values) =>
        values.Count != 1 ? $"{KeyHeader}: send one value, not {values.Count}"
        : values[0] is not { Length: >= 1 and <= MaxKeyLength } key || !key.All(c => c is >= '!' and <= '~')
            ? $"{KeyHeader}: must be 1-{MaxKeyLength} visible ASCII characters"
            : null;

    /// <summary>
    /// SHA-256 of method, path and body, so a key reused for another request is told apart; null when the body
    /// is over <c>Eventd:Api:MaxBodyBytes</c>. The body is buffered and rewound for the endpoint.
    /// </summary>
    private async Task<string?> HashRequestAsync(HttpRequest request)
    {
        var maxBytes = api.Value.MaxBodyBytes;
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var chunk = new byte[16 * 1024];
        long total = 0;
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    return null;
                }

                hash.AppendData(chunk, 0, read);
            }
        }
        finally
        {
            request.Body.Position = 0;
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private string StorageKey(HttpContext context, string idempotencyKey)
    {
        // The project a route names (Space Cloud's /v1/api/{project}/…, which auth has checked the key reaches), else the caller's.
        var project = context.Request.RouteValues["project"] is string { Length: > 0 } routed ? routed : Caller.Of(context).Project;
        return $"{_serviceId}/idempotency/{project}/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))}";
    }

    /// <summary>
    /// Claims the key (<c>SET NX</c>) or reads what holds it. A holder that expires between the two calls is
    /// claimed on a second try; a holder that cannot be read is answered as still in progress.
    /// </summary>
    private static async Task<(bool Claimed, IdempotencyEntry? Holder)> ClaimAsync(IDatabase db, string key, string requestHash)
    {
        var claim = JsonSerializer.Serialize(new IdempotencyEntry(requestHash), EntryJson);
        for (var attempt = 1; ; attempt++)
        {
            if (await db.StringSetAsync(key, claim, ClaimTimeout, When.NotExists))
            {
                return (true, null);
            }

            var held = await db.StringGetAsync(key);
            if (!held.IsNull || attempt == 2)
            {
                return (false, Parse(held));
            }
        }
    }

    private static IdempotencyEntry? Parse(RedisValue held)
    {
        try
        {
            return held.IsNull ? null : JsonSerializer.Deserialize<IdempotencyEntry>((string)held!, EntryJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Runs the endpoint with the response buffered, remembers a response below 500, and releases the claim
    /// on a 5xx or an exception so the client can retry with the same key.
    /// </summary>
    private async Task RunAndRememberAsync(HttpContext context, IDatabase db, string key, string requestHash)
    {
        var response = context.Response;
        var original = response.Body;
        using var captured = new MemoryStream();
        response.Body = captured;
        try
        {
            await next(context);
        }
        catch
        {
            await ReleaseAsync(db, key);
            throw;
        }
        finally
        {
            response.Body = original;
        }

        if (response.StatusCode < StatusCodes.Status500InternalServerError)
        {
            var location = response.Headers.Location.ToString();
            await RememberAsync(db, key, new IdempotencyEntry(
                requestHash, response.StatusCode, response.ContentType, location.Length > 0 ? location : null, captured.ToArray()));
        }
        else
        {
            await ReleaseAsync(db, key);
        }

        captured.Position = 0;
        await captured.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>
    /// The work is done, so its response is answered even when it cannot be remembered; the claim then stays,
    /// and a retry gets 409 rather than a second event.
    /// </summary>
    private async Task RememberAsync(IDatabase db, string key, IdempotencyEntry entry)
    {
        try
        {
            await db.StringSetAsync(key, JsonSerializer.Serialize(entry, EntryJson), Retention);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogRememberFailed(logger, key, ex);
        }
    }

    private async Task ReleaseAsync(IDatabase db, string key)
    {
        try
        {
            await db.KeyDeleteAsync(key);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogReleaseFailed(logger, key, ex);
        }
    }

    private static async Task ReplayAsync(HttpContext context, int status, IdempotencyEntry entry)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = entry.ContentType;
        if (entry.Location is not null)
        {
            response.Headers.Location = entry.Location;
        }

        response.Headers[ReplayedHeader] = "true";
        if (entry.Body is { Length: > 0 } body)
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Idempotency key {StorageKey} could not be checked: the store is unavailable")]
    private static partial void LogStoreUnavailable(ILogger logger, string storageKey, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Idempotency key {StorageKey}: the response was sent but not remembered; the key stays claimed until it expires")]
    private static partial void LogRememberFailed(ILogger logger, string storageKey, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Idempotency key {StorageKey}: the claim could not be released; the key stays claimed until it expires")]
    private static partial void LogReleaseFailed(ILogger logger, string storageKey, Exception exception);
}
