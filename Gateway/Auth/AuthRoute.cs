namespace Eventd.Gateway.Auth;

/// <summary>What a route asks of its caller's key.</summary>
public enum AuthRoute
{
    /// <summary>Eventd v1, Space Cloud, webhook register: a key when an admin key is configured, else none.</summary>
    Project,

    /// <summary>The event log: always a key.</summary>
    EventLog,

    /// <summary><c>/v1/keys</c>: the admin key.</summary>
    Admin,
}
