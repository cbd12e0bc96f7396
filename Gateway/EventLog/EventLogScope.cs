using Eventd.Gateway.Auth;
using Eventd.Gateway.SpaceCloud;

namespace Eventd.Gateway.EventLog;

/// <summary>Whose event log a request reads and writes (a project and environment), and the key name recorded as <c>updatedBy</c>.</summary>
public sealed record EventLogScope(string Project, string Environment, string? By)
{
    public const string EnvironmentQueryName = "environment";

    /// <summary>The caller's own: the key's project and environment (the admin key's are <c>default</c>, <c>production</c>).</summary>
    public static EventLogScope Of(HttpContext context)
    {
        var caller = Caller.Of(context);
        return new(caller.Project, caller.Environment, caller.KeyName);
    }

    /// <summary>
    /// The event log a query reads: the caller's own, or the one <c>?project=</c> and <c>?environment=</c>
    /// name, which the admin key may set to any and a project key only to its own (else 403).
    /// </summary>
    public static (EventLogScope? Scope, int Status, string? Error) ForQuery(HttpContext context)
    {
        var caller = Caller.Of(context);
        var (project, status, error) = ListedProject.Of(context);
        if (project is null)
        {
            return (null, status, error);
        }

        var asked = context.Request.Query[EnvironmentQueryName];
        if (asked.Count == 0)
        {
            return (new(project, caller.ReachesAll ? Caller.DefaultEnvironment : caller.Environment, caller.KeyName), StatusCodes.Status200OK, null);
        }

        if (asked.Count > 1)
        {
            return (null, StatusCodes.Status400BadRequest, "environment: give it once");
        }

        var environment = asked.ToString();
        if (SpaceCloudRequests.CheckName(environment) is { } nameError)
        {
            return (null, StatusCodes.Status400BadRequest, $"environment: {nameError}");
        }

        return caller.ReachesAll || environment == caller.Environment
            ? (new(project, environment, caller.KeyName), StatusCodes.Status200OK, null)
            : (null, StatusCodes.Status403Forbidden, $"environment: the key belongs to another environment than '{environment}'");
    }

    /// <summary>
    /// The event log holding the event <paramref name="key"/>, for a change to it: the caller's own, or, for the
    /// admin key, the one the event was emitted in. A project key naming another scope's event is refused (403).
    /// </summary>
    public static async Task<(EventLogScope? Scope, int Status, string? Error)> OfEventAsync(HttpContext context, string key, IGrainFactory grains)
    {
        var own = Of(context);
        if (await EventLogCalls.OwnerAsync(grains, key) is not { } owner || (owner.Project == own.Project && owner.Environment == own.Environment))
        {
            return (own, StatusCodes.Status200OK, null);
        }

        if (Caller.Of(context).ReachesAll)
        {
            return (own with { Project = owner.Project, Environment = owner.Environment }, StatusCodes.Status200OK, null);
        }

        return (null, StatusCodes.Status403Forbidden, owner.Project == own.Project
            ? $"key: event {key} belongs to another environment of the project"
            : $"key: event {key} belongs to another project");
    }
}
