using System.Security.Cryptography;
using System.Text;
using Eventd.Grains.Interfaces.Options;

namespace Eventd.Grains.Delivery;

/// <summary>
/// Standard Webhooks signatures: <c>v1,</c> + base64 HMAC-SHA256 over
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>, keyed by the decoded bytes of a <c>whsec_</c> secret.
/// </summary>
public sealed class WebhookSigner
{
    private const string Prefix = SigningSecretShape.Prefix;
    private readonly byte[] _key;

    public WebhookSigner(string secret)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"a signing secret starts with {Prefix}", nameof(secret));
        }

        _key = Convert.FromBase64String(secret[Prefix.Length..]);
    }

    public string Sign(string webhookId, long timestamp, string body) => Sign(SignedContent.Of(webhookId, timestamp, body));

    /// <summary>Signs content already laid out by <see cref="SignedContent"/>, so several signers share one copy.</summary>
    public string Sign(ReadOnlySpan<byte> content) => "v1," + Convert.ToBase64String(HMACSHA256.HashData(_key, content));
}

/// <summary>What every Standard Webhooks signature covers: <c>{webhook-id}.{webhook-timestamp}.{body}</c> as UTF-8.</summary>
public static class SignedContent
{
    public static byte[] Of(string webhookId, long timestamp, string body) => Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.{body}");
}
