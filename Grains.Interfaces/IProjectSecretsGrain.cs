namespace Eventd.Grains.Interfaces;

/// <summary>
/// A project's own webhook signing secret (API.md "Signatures, rotation and keys"), keyed by the project's name;
/// the only writer of its state. A project that never rotated signs with the configured secrets.
/// </summary>
[Alias("Eventd.IProjectSecretsGrain")]
public interface IProjectSecretsGrain : IGrainWithStringKey
{
    /// <summary>
    /// Makes a new secret the project's; the one it replaces (before the first rotation: the configured ones)
    /// keeps signing beside it for <c>Eventd:Delivery:RotationOverlap</c>.
    /// </summary>
    [Alias("Rotate")]
    Task<ProjectSecret> Rotate();

    /// <summary>The project's own secret, or null when it never rotated.</summary>
    [Alias("Current")]
    Task<ProjectSecret?> Current();

    /// <summary>The secrets a webhook of the project is signed with now; silos cache it for <see cref="ProjectSigning.CacheFor"/>.</summary>
    [Alias("Signing")]
    Task<ProjectSigning> Signing();
}
