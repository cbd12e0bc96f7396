using System.ComponentModel.DataAnnotations;

namespace Eventd.Grains.Interfaces.Options;

/// <summary>The <c>Eventd:Delivery</c> section: the policy of every webhook this service sends.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Eventd:Delivery";

    /// <summary><c>whsec_&lt;base64&gt;</c>; when set, every webhook carries <c>webhook-signature</c>.</summary>
    [RegularExpression("^whsec_[A-Za-z0-9+/]+={0,2}$", ErrorMessage = "Eventd:Delivery:SigningSecret must look like whsec_<base64>")]
    public string? SigningSecret { get; set; }

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
}
