using Microsoft.AspNetCore.Http;
using NSec.Cryptography;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace Eventd.TestSupport;

/// <summary>
/// A receiver's check of a webhook's signature with code no one here wrote: the Standard Webhooks library
/// for <c>v1,</c> (HMAC) and NSec's ed25519 for <c>v1a,</c>, which that library does not implement.
/// </summary>
public static class WebhookVerifier
{
    /// <summary>Whether a receiver that knows only <paramref name="secret"/> accepts the webhook.</summary>
    public static bool VerifiesWithSecret(string secret, string webhookId, string timestamp, string? signature, string body)
    {
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = webhookId,
            ["webhook-timestamp"] = timestamp,
            ["webhook-signature"] = signature,
        };
        try
        {
            new StandardWebhook(secret).Verify(body, headers);
            return true;
        }
        catch (WebhookVerificationException)
        {
            return false;
        }
    }

    public static bool VerifiesWithSecret(string secret, ReceivedRequest request) =>
        VerifiesWithSecret(secret, request.Header("webhook-id")!, request.Header("webhook-timestamp")!, request.Header("webhook-signature"), request.Body);

    /// <summary>Whether one of the <c>v1a,</c> signatures verifies with <paramref name="publicKey"/> (<c>whpk_&lt;base64&gt;</c>).</summary>
    public static bool VerifiesWithPublicKey(string publicKey, string webhookId, string timestamp, string? signature, string body)
    {
        var algorithm = SignatureAlgorithm.Ed25519;
        var key = PublicKey.Import(algorithm, Convert.FromBase64String(publicKey["whpk_".Length..]), KeyBlobFormat.RawPublicKey);
        var content = System.Text.Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.{body}");
        return (signature ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(part => part.StartsWith("v1a,", StringComparison.Ordinal))
            .Any(part => algorithm.Verify(key, content, Convert.FromBase64String(part["v1a,".Length..])));
    }

    public static bool VerifiesWithPublicKey(string publicKey, ReceivedRequest request) =>
        VerifiesWithPublicKey(publicKey, request.Header("webhook-id")!, request.Header("webhook-timestamp")!, request.Header("webhook-signature"), request.Body);
}
