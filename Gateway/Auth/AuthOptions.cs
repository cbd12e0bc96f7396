namespace Eventd.Gateway.Auth;

/// <summary>The <c>Eventd:Auth</c> section.</summary>
public sealed class AuthOptions
{
    public const string Section = "Eventd:Auth";

    /// <summary>The bootstrap key: it creates project keys and reaches every project. Unset, the gateway serves loopback only.</summary>
    public string? AdminKey { get; set; }

    public bool HasAdminKey => !string.IsNullOrWhiteSpace(AdminKey);
}
