using Eventd.Grains.Delivery;

namespace Eventd.Grains.Signing;

/// <summary>
/// The <c>webhook-signature</c> header of one set of signers: a <c>v1,</c> per secret, then the <c>v1a,</c> of
/// the key, separated by spaces, all over the same content, so a receiver that knows any one of them verifies.
/// When it would end with one of several <c>v1,</c> signatures, the first is repeated at the end: the
/// StandardWebhooks NuGet package (1.1.2) never reads the last entry of a header with several, so without it
/// a receiver using that package and knowing only the last secret would refuse every webhook.
/// </summary>
public sealed class SignatureHeader(IReadOnlyList<WebhookSigner> secrets, Ed25519Signer? key)
{
    /// <summary>Nothing to sign with: webhooks go without the header.</summary>
    public bool IsEmpty => secrets.Count == 0 && key is null;

    public int SecretCount => secrets.Count;

    /// <summary>The header's value, or null when there is nothing to sign with.</summary>
    public string? Sign(string webhookId, long timestamp, string body)
    {
        if (IsEmpty)
        {
            return null;
        }

        var content = SignedContent.Of(webhookId, timestamp, body);
        var padded = key is null && secrets.Count > 1;
        var signatures = new string[secrets.Count + (key is null ? 0 : 1) + (padded ? 1 : 0)];
        for (var i = 0; i < secrets.Count; i++)
        {
            signatures[i] = secrets[i].Sign(content);
        }

        if (key is not null)
        {
            signatures[^1] = key.Sign(content);
        }

        if (padded)
        {
            signatures[^1] = signatures[0];
        }

        return string.Join(' ', signatures);
    }
}
