namespace Eventd.Gateway.Auth;

/// <summary>
/// Who sent a request, as <see cref="AuthMiddleware"/> established it: the project (and environment)
/// its key belongs to. Without keys in use, every caller is an unnamed one in the default project.
/// </summary>
public sealed record Caller(string Project, string Environment, string? KeyName, bool IsAdmin)
{
    public const string DefaultProject = "default";
    public const string DefaultEnvironment = "production";

    private const string Item = "eventd.caller";

    /// <summary>The caller when no admin key is configured and no key was sent.</summary>
    public static readonly Caller Anonymous = new(DefaultProject, DefaultEnvironment, null, false);

    /// <summary>The admin key reaches every project; what it creates belongs to the default project.</summary>
    public static readonly Caller Admin = new(DefaultProject, DefaultEnvironment, "admin", true);

    /// <summary>
    /// A project key reaches only its own project (API.md "Keys and auth"). Without a key, the gateway
    /// serves loopback clients only, and they reach every project, as the admin key does.
    /// </summary>
    public bool Reaches(string project) => ReachesAll || string.Equals(Project, project, StringComparison.Ordinal);

    public bool ReachesAll => IsAdmin || KeyName is null;

    public static Caller Of(HttpContext context) =>
        context.Items.TryGetValue(Item, out var caller) && caller is Caller known ? known : Anonymous;

    public void AttachTo(HttpContext context) => context.Items[Item] = this;
}
