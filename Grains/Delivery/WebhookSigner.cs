using System.Security.Cryptography;
using System.Text;

namespace Eventd.Grains.Delivery;

/// <summary>
/// Standard Webhooks signatures: <c>v1,</c> + base64 HMAC-SHA256 over
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>, keyed by the decoded bytes of a <c>whsec_</c> secret.
/// </summary>
public sealed class WebhookSigner
{
    private const string Prefix = "whsec_";
    private readonly byte[] _key;

    public WebhookSigner(string secret)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"a signing secret starts with {Prefix}", nameof(secret));
        }

        _key = Convert.FromBase64String(secret[Prefix.Length..]);
    }

    public string Sign(string webhookId, long timestamp, string body)
    {
        var signed = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(_key, signed));
    }
}
