using Eventd.Grains.Delivery;
using Eventd.Grains.Interfaces.Options;
using Microsoft.Extensions.Options;

namespace Eventd.Grains.Signing;

/// <summary>
/// The signers of a silo's configuration: a <see cref="WebhookSigner"/> per <c>Eventd:Delivery:SigningSecret(s)</c>
/// entry and the <c>Eventd:Delivery:SigningKey</c>, decoded once.
/// </summary>
public sealed class ConfiguredSigning : IDisposable
{
    public ConfiguredSigning(IOptions<DeliveryOptions> options)
    {
        Secrets = [.. options.Value.ConfiguredSecrets().Select(secret => new WebhookSigner(secret))];
        Key = options.Value.SigningKey is { Length: > 0 } key ? new Ed25519Signer(key) : null;
        Header = new SignatureHeader(Secrets, Key);
        PublicKeys = Key is null ? [] : [Key.PublicKey];
    }

    public IReadOnlyList<WebhookSigner> Secrets { get; }

    public Ed25519Signer? Key { get; }

    /// <summary>Signs with the configured secrets and key only: a project that never rotated.</summary>
    public SignatureHeader Header { get; }

    public IReadOnlyList<string> PublicKeys { get; }

    public void Dispose() => Key?.Dispose();
}
