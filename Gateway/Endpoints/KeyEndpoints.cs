using Eventd.Gateway.Auth;
using Eventd.Gateway.Hosting;
using Eventd.Gateway.Http;
using Eventd.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eventd.Gateway.Endpoints;

/// <summary>
/// Project keys (API.md "Keys and auth"), for the admin key only: the key directory grain names them,
/// each key's own grain holds it. A secret is shown once, in the answer that creates it; the grains keep
/// its hash. For that reason creation takes no <c>Idempotency-Key</c>: a replay would have to store the secret.
/// </summary>
public static partial class KeyEndpoints
{
    public const string Prefix = "/v1/keys";

    public static IEndpointRouteBuilder MapKeys(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup(Prefix).WithTags("Keys").WithMetadata(AdminRoute.Instance);
        keys.MapPost("", Create).WithName("CreateKey").WithSummary("Create a project's secret key (shown once)");
        keys.MapGet("", List).WithName("ListKeys").WithSummary("The keys' names, projects and environments");
        keys.MapDelete("/{name}", Revoke).WithName("RevokeKey").WithSummary("Revoke a key");
        return app;
    }

    public sealed record CreatedKey(string Status, string Key);

    public sealed record KeyJson(string Name, string Project, string Environment, DateTime CreatedAt);

    public sealed record KeyList(string Status, IReadOnlyList<KeyJson> Keys);

    private static async Task<Results<Ok<CreatedKey>, JsonHttpResult<StatusMessage>>> Create(
        HttpRequest request, ClusterConnection cluster, ILoggerFactory loggers)
    {
        var body = await JsonBody.ReadObjectAsync(request);
        if (!body.IsValid)
        {
            return Error(body.Status, body.Error!);
        }

        var (parsed, error) = KeyRequest.Parse(body.Root);
        if (parsed is null)
        {
            return Error(StatusCodes.Status400BadRequest, error!);
        }

        var secret = SecretHash.NewSecret();
        var key = new NewApiKey(parsed.Name, parsed.Project, parsed.Environment, SecretHash.Of(secret));
        if (!await RejectedCalls.RetryAsync(() => Directory(cluster).Create(key)))
        {
            return Error(StatusCodes.Status409Conflict, $"name: a key named '{parsed.Name}' exists; revoke it first");
        }

        var logger = Logger(loggers);
        LogCreated(logger, key.Name, key.Project, key.Environment);
        return TypedResults.Ok(new CreatedKey("success", secret));
    }

    private static async Task<Ok<KeyList>> List(ClusterConnection cluster) =>
        TypedResults.Ok(new KeyList("success", (await RejectedCalls.RetryAsync(Directory(cluster).List))
            .Select(k => new KeyJson(k.Name, k.Project, k.Environment, k.CreatedAt.UtcDateTime)).ToList()));

    private static async Task<Results<Ok<StatusMessage>, JsonHttpResult<StatusMessage>>> Revoke(
        string name, ClusterConnection cluster, CheckedKeys checkedKeys, ILoggerFactory loggers)
    {
        bool revoked;
        try
        {
            revoked = await RejectedCalls.RetryAsync(() => Directory(cluster).Revoke(name));
        }
        finally
        {
            // Even a revoke that failed half way may have stopped the key already.
            checkedKeys.Forget(name);
        }

        if (!revoked)
        {
            return Error(StatusCodes.Status404NotFound, $"name: no key named '{name}'");
        }

        var logger = Logger(loggers);
        LogRevoked(logger, name);
        return TypedResults.Ok(new StatusMessage("success", $"key '{name}' revoked"));
    }

    private static ILogger Logger(ILoggerFactory loggers) => loggers.CreateLogger(typeof(KeyEndpoints).FullName!);

    private static IApiKeyDirectoryGrain Directory(ClusterConnection cluster) =>
        cluster.Client.GetGrain<IApiKeyDirectoryGrain>(IApiKeyDirectoryGrain.Key);

    private static JsonHttpResult<StatusMessage> Error(int status, string message) =>
        TypedResults.Json(StatusMessage.Error(message), statusCode: status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Key {Name} created for project {Project}, environment {Environment}")]
    private static partial void LogCreated(ILogger logger, string name, string project, string environment);

    [LoggerMessage(Level = LogLevel.Information, Message = "Key {Name} revoked")]
    private static partial void LogRevoked(ILogger logger, string name);
}
