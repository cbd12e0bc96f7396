using Eventd.Gateway.Auth;
using Eventd.Gateway.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eventd.Gateway.Endpoints;

/// <summary>
/// Project keys (API.md "Keys and auth"), for the admin key only. A secret is shown once, in the answer
/// that creates it; Redis keeps its hash. For that reason creation takes no <c>Idempotency-Key</c>: a replay
/// would have to store the secret.
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
        HttpRequest request, SecretKeyStore store, TimeProvider time, ILogger<SecretKeyStore> logger)
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
        var key = new SecretKeyRecord(parsed.Name, parsed.Project, parsed.Environment, time.GetUtcNow(), SecretHash.Of(secret));
        if (!await store.AddAsync(key))
        {
            return Error(StatusCodes.Status409Conflict, $"name: a key named '{parsed.Name}' exists; revoke it first");
        }

        LogCreated(logger, key.Name, key.Project, key.Environment);
        return TypedResults.Ok(new CreatedKey("success", secret));
    }

    private static async Task<Ok<KeyList>> List(SecretKeyStore store) =>
        TypedResults.Ok(new KeyList("success", (await store.ListAsync()).Select(k => new KeyJson(k.Name, k.Project, k.Environment, k.CreatedAt.UtcDateTime)).ToList()));

    private static async Task<Results<Ok<StatusMessage>, JsonHttpResult<StatusMessage>>> Revoke(string name, SecretKeyStore store, ILogger<SecretKeyStore> logger)
    {
        if (!await store.RevokeAsync(name))
        {
            return Error(StatusCodes.Status404NotFound, $"name: no key named '{name}'");
        }

        LogRevoked(logger, name);
        return TypedResults.Ok(new StatusMessage("success", $"key '{name}' revoked"));
    }

    private static JsonHttpResult<StatusMessage> Error(int status, string message) =>
        TypedResults.Json(StatusMessage.Error(message), statusCode: status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Key {Name} created for project {Project}, environment {Environment}")]
    private static partial void LogCreated(ILogger logger, string name, string project, string environment);

    [LoggerMessage(Level = LogLevel.Information, Message = "Key {Name} revoked")]
    private static partial void LogRevoked(ILogger logger, string name);
}
