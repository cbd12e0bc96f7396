namespace Eventd.Gateway.Auth;

/// <summary>
/// Endpoint metadata: an event-log route (API.md section 5), which always needs a secret key and answers
/// errors as {"status":"error","message"}.
/// </summary>
public sealed class EventLogRoute
{
    public static readonly EventLogRoute Instance = new();

    private EventLogRoute()
    {
    }
}
