using System.Security.Cryptography;
using System.Text;

namespace Eventd.Gateway.Auth;

/// <summary>
/// Secrets are 128 random bits, so one SHA-256 is enough to keep a leaked store from yielding usable
/// keys; a slow password hash would only slow every request.
/// </summary>
public static class SecretHash
{
    public static string Of(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>A new secret: 32 lowercase hex characters.</summary>
    public static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Compares in constant time, so response timing tells nothing about the admin key.</summary>
    public static bool SameSecret(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
