namespace Eventd.Grains.Interfaces;

/// <summary>
/// The public keys of the configured <c>v1a</c> (ed25519) signing key, derived in a silo: the gateway serves
/// them at <c>GET /eventd/v1/signing-keys</c> without holding the private seed.
/// </summary>
[Alias("Eventd.ISigningKeysGrain")]
public interface ISigningKeysGrain : IGrainWithIntegerKey
{
    /// <summary><c>whpk_&lt;base64&gt;</c> for each configured key; empty when none is.</summary>
    [Alias("PublicKeys")]
    Task<IReadOnlyList<string>> PublicKeys();
}
