using System.ComponentModel.DataAnnotations;

namespace Eventd.Grains.Interfaces.Options;

/// <summary>The <c>Eventd:Delivery</c> section: the policy of every webhook this service sends.</summary>
public sealed class DeliveryOptions : IValidatableObject
{
    public const string Section = "Eventd:Delivery";

    /// <summary>
    /// One or more <c>whsec_&lt;base64&gt;</c> secrets separated by spaces; when set, every webhook carries
    /// <c>webhook-signature</c> with one <c>v1,</c> signature per secret.
    /// </summary>
    [RegularExpression("^ *whsec_[A-Za-z0-9+/]+={0,2}( +whsec_[A-Za-z0-9+/]+={0,2})* *$",
        ErrorMessage = "Eventd:Delivery:SigningSecret must look like whsec_<base64>, several separated by spaces")]
    public string? SigningSecret { get; set; }

    /// <summary>The same secrets as a list (<c>Eventd:Delivery:SigningSecrets:0</c>, <c>:1</c>, …), beside <see cref="SigningSecret"/>.</summary>
    public List<string> SigningSecrets { get; set; } = [];

    /// <summary><c>whsk_&lt;base64 of a 32-byte ed25519 seed&gt;</c>; when set, every webhook also carries a <c>v1a,</c> signature.</summary>
    [RegularExpression("^whsk_[A-Za-z0-9+/]+={0,2}$", ErrorMessage = "Eventd:Delivery:SigningKey must look like whsk_<base64 of a 32-byte ed25519 seed>")]
    public string? SigningKey { get; set; }

    /// <summary>How long a project's previous secret keeps signing beside a rotated one.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00", ErrorMessage = "Eventd:Delivery:RotationOverlap must be between 0 and 365 days")]
    public TimeSpan RotationOverlap { get; set; } = TimeSpan.FromDays(1);

    [Range(0, 100)]
    public int DefaultRetries { get; set; } = 3;

    [Range(100, 60000)]
    public int DefaultTimeoutMs { get; set; } = 5000;

    [Range(1, int.MaxValue)]
    public int BackoffBaseMs { get; set; } = 1000;

    [Range(1, int.MaxValue)]
    public int BackoffMaxMs { get; set; } = 3_600_000;

    /// <summary>Lets webhooks reach loopback and private networks; the Development profile sets it.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// An endpoint whose every attempt has failed this long (with at least 10 failures) is disabled
    /// (API.md "Endpoint health"); a .NET TimeSpan, default 5 days.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00", ErrorMessage = "Eventd:Delivery:DisableAfter must be between 00:00:01 and 3650.00:00:00")]
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>Every configured secret, from both spellings, in order.</summary>
    public IReadOnlyList<string> ConfiguredSecrets() =>
        [.. (SigningSecret ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries), .. SigningSecrets.Select(s => s.Trim())];

    /// <summary>What the attributes cannot say: each listed secret's shape, and the key seed's length.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < SigningSecrets.Count; i++)
        {
            if (!SigningSecretShape.IsValid(SigningSecrets[i].Trim()))
            {
                yield return new ValidationResult($"Eventd:Delivery:SigningSecrets:{i} must look like whsec_<base64>", [nameof(SigningSecrets)]);
            }
        }

        if (SigningKey is { Length: > 0 } key && Decoded(key["whsk_".Length..]) is not { Length: 32 })
        {
            yield return new ValidationResult("Eventd:Delivery:SigningKey must be whsk_ and the base64 of a 32-byte ed25519 seed", [nameof(SigningKey)]);
        }
    }

    private static byte[]? Decoded(string base64)
    {
        var bytes = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, bytes, out var written) ? bytes[..written] : null;
    }
}
