using Eventd.Gateway.Auth;

namespace Eventd.Gateway.EventLog;

/// <summary>Whose event log a request reads and writes (the key's project and environment), and the key name recorded as <c>updatedBy</c>.</summary>
public sealed record EventLogScope(string Project, string Environment, string? By)
{
    public static EventLogScope Of(HttpContext context)
    {
        var caller = Caller.Of(context);
        return new(caller.Project, caller.Environment, caller.KeyName);
    }
}
