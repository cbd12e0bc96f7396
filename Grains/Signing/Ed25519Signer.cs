using NSec.Cryptography;

namespace Eventd.Grains.Signing;

/// <summary>
/// The Standard Webhooks asymmetric signature: <c>v1a,</c> + base64 ed25519 signature over the signed content,
/// with a <c>whsk_&lt;base64 of a 32-byte seed&gt;</c> key; receivers verify with its <see cref="PublicKey"/>.
/// NSec (libsodium) because .NET 10 has no Ed25519 of its own.
/// </summary>
public sealed class Ed25519Signer : IDisposable
{
    public const string Prefix = "whsk_";
    public const string PublicPrefix = "whpk_";

    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;
    private readonly Key _key;

    public Ed25519Signer(string signingKey)
    {
        if (!signingKey.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"a signing key starts with {Prefix}", nameof(signingKey));
        }

        var seed = Convert.FromBase64String(signingKey[Prefix.Length..]);
        if (seed.Length != Algorithm.PrivateKeySize)
        {
            throw new ArgumentException($"a signing key is {Prefix} and the base64 of a {Algorithm.PrivateKeySize}-byte ed25519 seed", nameof(signingKey));
        }

        _key = Key.Import(Algorithm, seed, KeyBlobFormat.RawPrivateKey);
        PublicKey = PublicPrefix + Convert.ToBase64String(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary><c>whpk_&lt;base64 of the 32-byte public key&gt;</c>.</summary>
    public string PublicKey { get; }

    public string Sign(ReadOnlySpan<byte> content) => "v1a," + Convert.ToBase64String(Algorithm.Sign(_key, content));

    public void Dispose() => _key.Dispose();
}
