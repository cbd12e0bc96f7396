namespace Eventd.Gateway.Auth;

/// <summary>Endpoint metadata: a route only the admin key may call (<c>/v1/keys</c>), answering errors as <c>{"status":"error","message"}</c>.</summary>
public sealed class AdminRoute
{
    public static readonly AdminRoute Instance = new();

    private AdminRoute()
    {
    }
}
