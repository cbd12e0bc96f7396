using System.Security.Cryptography;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Eventd.Grains.Signing;

/// <summary>The persisted state of a project's secrets (JSON in Redis); the silos sign with it, so it holds the secrets themselves.</summary>
public sealed class ProjectSecretsState
{
    /// <summary>The grain state's name in storage (part of its Redis key).</summary>
    public const string Name = "projectsecrets";

    /// <summary>The project's own secret; null until its first rotation.</summary>
    public string? Secret { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The secret the last rotation replaced; null when that was the configured ones.</summary>
    public string? Previous { get; set; }

    /// <summary>The last rotation replaced the configured secrets: they sign until <see cref="PreviousExpiresAt"/>.</summary>
    public bool PreviousIsConfigured { get; set; }

    public DateTimeOffset? PreviousExpiresAt { get; set; }
}

/// <summary>
/// One project's signing secret. One previous secret is kept: a second rotation within the overlap ends
/// the first one's overlap at once, as a receiver is expected to hold two secrets, not three.
/// </summary>
public sealed partial class ProjectSecretsGrain(
    [PersistentState(ProjectSecretsState.Name, StorageNames.Default)] IPersistentState<ProjectSecretsState> state,
    IOptions<DeliveryOptions> options,
    [FromKeyedServices(GrainClocks.ProjectSecrets)] TimeProvider time,
    ILogger<ProjectSecretsGrain> logger) : Grain, IProjectSecretsGrain
{
    private ProjectSecretsState S => state.State;

    public async Task<ProjectSecret> Rotate()
    {
        var now = time.GetUtcNow();
        var previousExpiresAt = now + options.Value.RotationOverlap;
        state.State = new ProjectSecretsState
        {
            Secret = NewSecret(),
            CreatedAt = now,
            Previous = S.Secret,
            PreviousIsConfigured = S.Secret is null,
            PreviousExpiresAt = previousExpiresAt,
        };
        await state.WriteStateAsync();

        // The project, never the secret: secrets stay out of logs.
        var project = this.GetPrimaryKeyString();
        LogRotated(logger, project, previousExpiresAt);
        return Own()!;
    }

    public Task<ProjectSecret?> Current() => Task.FromResult(Own());

    public Task<ProjectSigning> Signing()
    {
        if (S.Secret is not { } secret)
        {
            return Task.FromResult(ProjectSigning.Configured);
        }

        var overlapping = S.PreviousExpiresAt is { } until && time.GetUtcNow() < until;
        IReadOnlyList<string> secrets = overlapping && S.Previous is { } previous ? [secret, previous] : [secret];
        return Task.FromResult(new ProjectSigning(secrets, overlapping && S.PreviousIsConfigured, overlapping ? S.PreviousExpiresAt : null));
    }

    private ProjectSecret? Own() => S.Secret is { } secret ? new ProjectSecret(secret, S.CreatedAt, S.PreviousExpiresAt) : null;

    /// <summary>32 random bytes, as Standard Webhooks suggests (between 24 and 64).</summary>
    private static string NewSecret() => SigningSecretShape.Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Project} rotated its signing secret; the previous one signs until {PreviousExpiresAt:O}")]
    private static partial void LogRotated(ILogger logger, string project, DateTimeOffset previousExpiresAt);
}
