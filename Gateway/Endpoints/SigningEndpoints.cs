using Eventd.Gateway.Hosting;
using Eventd.Gateway.SpaceCloud;
using Eventd.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eventd.Gateway.Endpoints;

/// <summary>
/// Webhook signatures (API.md "Signatures, rotation and keys"): the public keys receivers verify <c>v1a</c>
/// with, and a project's own secret. The gateway holds no secret and no key: the silos answer both.
/// </summary>
public static partial class SigningEndpoints
{
    public const string KeysPath = "/eventd/v1/signing-keys";

    public static IEndpointRouteBuilder MapSigning(this IEndpointRouteBuilder app)
    {
        app.MapGet(KeysPath, Keys).WithTags("Signatures").WithName("ListSigningKeys").WithSummary("The public keys that verify v1a signatures (no key needed)");

        var secret = app.MapGroup("/v1/projects/{project}/signing-secret").WithTags("Signatures");
        secret.MapPost("/rotate", Rotate).WithName("RotateSigningSecret").WithSummary("Give the project a new signing secret; the previous one keeps signing for the overlap");
        secret.MapGet("", Current).WithName("GetSigningSecret").WithSummary("The project's own signing secret");
        return app;
    }

    public sealed record KeyList(bool Ok, IReadOnlyList<string> Keys);

    public sealed record RotatedSecret(string Secret);

    public sealed record SecretJson(string Secret, DateTime CreatedAt, DateTime? PreviousExpiresAt);

    private static async Task<Ok<KeyList>> Keys(ClusterConnection cluster) =>
        TypedResults.Ok(new KeyList(true, await RejectedCalls.RetryAsync(cluster.Client.GetGrain<ISigningKeysGrain>(0).PublicKeys)));

    private static async Task<Results<Ok<RotatedSecret>, JsonHttpResult<ErrorEnvelope>>> Rotate(
        string project, ClusterConnection cluster, TimeProvider time, ILoggerFactory loggers, CancellationToken cancel)
    {
        if (SpaceCloudRequests.CheckName(project) is { } error)
        {
            return BadProject(error);
        }

        // Not retried: a call that reached the grain has rotated, and a second would replace that secret unseen.
        var rotated = await cluster.Client.GetGrain<IProjectSecretsGrain>(project).Rotate();
        var logger = loggers.CreateLogger(typeof(SigningEndpoints).FullName!);
        LogRotated(logger, project);

        // Silos sign with what they asked for up to CacheFor ago; once that has passed, every webhook of the
        // project carries the new secret's signature, so a receiver given the answer can switch at once.
        await Task.Delay(ProjectSigning.CacheFor, time, cancel);
        return TypedResults.Ok(new RotatedSecret(rotated.Secret));
    }

    private static async Task<Results<Ok<SecretJson>, JsonHttpResult<ErrorEnvelope>>> Current(string project, ClusterConnection cluster)
    {
        if (SpaceCloudRequests.CheckName(project) is { } error)
        {
            return BadProject(error);
        }

        return await RejectedCalls.RetryAsync(cluster.Client.GetGrain<IProjectSecretsGrain>(project).Current) is { } secret
            ? TypedResults.Ok(new SecretJson(secret.Secret, secret.CreatedAt.UtcDateTime, secret.PreviousExpiresAt?.UtcDateTime))
            : TypedResults.Json(
                ErrorEnvelope.Of($"project: '{project}' has no secret of its own (it never rotated); its webhooks are signed with the configured secrets"),
                statusCode: StatusCodes.Status404NotFound);
    }

    private static JsonHttpResult<ErrorEnvelope> BadProject(string error) =>
        TypedResults.Json(ErrorEnvelope.Of($"project: {error}"), statusCode: StatusCodes.Status400BadRequest);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing secret of project {Project} rotated")]
    private static partial void LogRotated(ILogger logger, string project);
}
