using System.Text.RegularExpressions;

namespace Eventd.Grains.Interfaces.Options;

/// <summary>What a Standard Webhooks secret looks like: <c>whsec_</c> and base64 that decodes.</summary>
public static partial class SigningSecretShape
{
    public const string Prefix = "whsec_";

    public static bool IsValid(string secret) =>
        Shape().IsMatch(secret) && Convert.TryFromBase64String(secret[Prefix.Length..], new byte[secret.Length], out _);

    [GeneratedRegex("^whsec_[A-Za-z0-9+/]+={0,2}\\z")]
    private static partial Regex Shape();
}
