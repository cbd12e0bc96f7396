namespace Eventd.Grains.Interfaces;

/// <summary>
/// One project key, keyed by the SHA-256 of its secret (64 hex), so a request's key is checked with one
/// call to the grain its secret names. Only <see cref="IApiKeyDirectoryGrain"/> issues and revokes it.
/// </summary>
[Alias("Eventd.IApiKeyGrain")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores the key. True when it is issued as <paramref name="key"/> (also when it already was); false
    /// when this hash was voided by <see cref="Settle"/> first or holds another key.
    /// </summary>
    [Alias("Issue")]
    Task<bool> Issue(ApiKey key);

    /// <summary>The key, or null when none is issued under this hash (unknown, voided or revoked).</summary>
    [Alias("Authenticate")]
    Task<ApiKey?> Authenticate();

    /// <summary>
    /// Decides a reservation whose create did not finish: true when the key was issued; otherwise the hash
    /// is voided, so an <see cref="Issue"/> still on its way is refused, and false.
    /// </summary>
    [Alias("Settle")]
    Task<bool> Settle();

    /// <summary>Removes the key: every later <see cref="Authenticate"/> answers null. Idempotent.</summary>
    [Alias("Revoke")]
    Task Revoke();
}
