using System.Security.Cryptography;
using System.Text;
using Eventd.Gateway.Auth;
using Eventd.Gateway.Endpoints;
using Eventd.Gateway.Hosting;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Eventd.Gateway.Http;

/// <summary>
/// <c>Idempotency-Key</c> on the routes marked <see cref="IdempotentCreate"/> (API.md "General rules"): the
/// first response to a key is kept 24 h per project by the key's grain (<see cref="IIdempotencyKeyGrain"/>)
/// and answered again, with <c>Idempotent-Replayed: true</c>, to every POST that repeats it, without running
/// the endpoint. Registered after routing, so the endpoint's metadata is known.
/// </summary>
public sealed partial class IdempotencyMiddleware(
    RequestDelegate next,
    IdempotencyKeys keys,
    IOptions<ApiOptions> api,
    ILogger<IdempotencyMiddleware> logger)
{
    public const string KeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    private const int MaxKeyLength = 255;

    /// <summary>
    /// How long a claim without a response holds the key on a route that does not create by identity:
    /// long enough for any request to finish, short enough that a gateway dying mid-request does not
    /// lock the key for a day.
    /// </summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// On a route that creates by identity, how long a repeat waits for the first attempt's response
    /// before running the request again itself (which lands on the same object).
    /// </summary>
    public static readonly TimeSpan IdentityTakeOver = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan InProgressPoll = TimeSpan.FromMilliseconds(250);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method)
            || context.GetEndpoint()?.Metadata.GetMetadata<IdempotentCreate>() is not { } marker
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

        var project = ProjectOf(context);
        var key = keyValues.ToString();
        IIdempotencyKeyGrain grain;
        IdempotencyClaim claim;
        try
        {
            grain = keys.For(project, key);
            claim = await ClaimAsync(grain, requestHash, marker.IsByIdentity, context.RequestAborted);
        }
        catch (Exception ex) when (ex is ClusterUnavailableException or OrleansException or TimeoutException)
        {
            LogStoreUnavailable(logger, project, ex);
            await FamilyErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, $"{KeyHeader}: cannot be checked now (cluster unavailable), try again");
            return;
        }

        if (claim.Outcome is IdempotencyOutcome.Claimed && marker.IsByIdentity)
        {
            IdempotentIdentity.Attach(context, project, key);
        }

        await (claim switch
        {
            { Outcome: IdempotencyOutcome.Claimed } => RunAndRememberAsync(context, grain, requestHash),
            { Outcome: IdempotencyOutcome.Reused } =>
                FamilyErrors.WriteAsync(context, StatusCodes.Status422UnprocessableEntity, $"{KeyHeader}: already used for a different request"),
            { Outcome: IdempotencyOutcome.Replay, Response: { } response } => ReplayAsync(context, response),
            _ => FamilyErrors.WriteAsync(context, StatusCodes.Status409Conflict, $"{KeyHeader}: a request with this key is still in progress"),
        });
    }

    /// <summary>
    /// Claims the key. On a route that creates by identity a repeat of a request still in progress waits
    /// for its response a few seconds, then takes the claim over: the first attempt's gateway may have died.
    /// </summary>
    private static async Task<IdempotencyClaim> ClaimAsync(IIdempotencyKeyGrain grain, string requestHash, bool byIdentity, CancellationToken aborted)
    {
        var takeOverAfter = byIdentity ? IdentityTakeOver : ClaimTimeout;
        var claim = await grain.Claim(requestHash, takeOverAfter);
        var waited = TimeSpan.Zero;
        while (byIdentity && claim.Outcome is IdempotencyOutcome.InProgress && waited <= IdentityTakeOver)
        {
            await Task.Delay(InProgressPoll, aborted);
            waited += InProgressPoll;
            claim = await grain.Claim(requestHash, takeOverAfter);
        }

        return claim;
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

    /// <summary>The project a route names (Space Cloud's /v1/api/{project}/…, which auth has checked the key reaches), else the caller's.</summary>
    private static string ProjectOf(HttpContext context) =>
        context.Request.RouteValues["project"] is string { Length: > 0 } routed ? routed : Caller.Of(context).Project;

    /// <summary>
    /// Runs the endpoint with the response buffered, remembers a 2xx, and releases the claim on anything
    /// else or an exception so the client can retry with the same key.
    /// </summary>
    private async Task RunAndRememberAsync(HttpContext context, IIdempotencyKeyGrain grain, string requestHash)
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
            await ReleaseAsync(grain, requestHash);
            throw;
        }
        finally
        {
            response.Body = original;
        }

        // Only what was created is remembered: a refused request (4xx) changed nothing, so its client
        // may correct it and send it again under the same key.
        if (response.StatusCode is >= StatusCodes.Status200OK and < StatusCodes.Status300MultipleChoices)
        {
            var location = response.Headers.Location.ToString();
            await RememberAsync(grain, requestHash, new IdempotentResponse(
                response.StatusCode, response.ContentType, location.Length > 0 ? location : null, captured.ToArray()));
        }
        else
        {
            await ReleaseAsync(grain, requestHash);
        }

        captured.Position = 0;
        await captured.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>
    /// The work is done, so its response is answered even when it cannot be remembered; the claim then stays,
    /// and a retry waits for it to lapse (a route that creates by identity runs again onto the same object).
    /// </summary>
    private async Task RememberAsync(IIdempotencyKeyGrain grain, string requestHash, IdempotentResponse response)
    {
        try
        {
            await grain.Remember(requestHash, response);
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            LogRememberFailed(logger, grain.GetPrimaryKeyString(), ex);
        }
    }

    private async Task ReleaseAsync(IIdempotencyKeyGrain grain, string requestHash)
    {
        try
        {
            await grain.Release(requestHash);
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            LogReleaseFailed(logger, grain.GetPrimaryKeyString(), ex);
        }
    }

    private static async Task ReplayAsync(HttpContext context, IdempotentResponse entry)
    {
        var response = context.Response;
        response.StatusCode = entry.Status;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "An idempotency key of project {Project} could not be checked: the cluster is unavailable")]
    private static partial void LogStoreUnavailable(ILogger logger, string project, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Idempotency key {KeyGrain}: the response was sent but not remembered; the key stays claimed until the claim lapses")]
    private static partial void LogRememberFailed(ILogger logger, string keyGrain, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Idempotency key {KeyGrain}: the claim could not be released; the key stays claimed until the claim lapses")]
    private static partial void LogReleaseFailed(ILogger logger, string keyGrain, Exception exception);
}
