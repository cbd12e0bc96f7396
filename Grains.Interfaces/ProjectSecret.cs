namespace Eventd.Grains.Interfaces;

/// <summary>A project's own signing secret, when it was made, and when the one before it stops (stopped) signing.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.ProjectSecret")]
public sealed record ProjectSecret(
    [property: Id(0)] string Secret,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] DateTimeOffset? PreviousExpiresAt);

/// <summary>
/// The secrets that sign a project's webhooks now: its own (newest first), and whether the configured ones
/// sign too (a project that never rotated, or in the overlap of its first rotation); valid until <see cref="Until"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Eventd.ProjectSigning")]
public sealed record ProjectSigning(
    [property: Id(0)] IReadOnlyList<string> Secrets,
    [property: Id(1)] bool WithConfigured,
    [property: Id(2)] DateTimeOffset? Until)
{
    /// <summary>
    /// How long a silo signs with an answer before asking again. A rotation is answered only after this long,
    /// so that every webhook sent after the answer carries the new secret's signature.
    /// </summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    /// <summary>A project that never rotated: the configured secrets, for as long as that lasts.</summary>
    public static readonly ProjectSigning Configured = new([], true, null);
}
