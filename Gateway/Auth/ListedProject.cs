using Eventd.Gateway.SpaceCloud;

namespace Eventd.Gateway.Auth;

/// <summary>
/// The project a list shows (events, dead letters, hooks): <c>?project=</c> when given, which the admin key
/// (or a keyless caller) may set to any project and a project key only to its own, else the caller's.
/// </summary>
public static class ListedProject
{
    public const string QueryName = "project";

    public static (string? Project, int Status, string? Error) Of(HttpContext context)
    {
        var caller = Caller.Of(context);
        var asked = context.Request.Query[QueryName];
        if (asked.Count == 0)
        {
            return (caller.Project, StatusCodes.Status200OK, null);
        }

        if (asked.Count > 1)
        {
            return (null, StatusCodes.Status400BadRequest, "project: give it once");
        }

        if (SpaceCloudRequests.CheckName(asked.ToString()) is { } nameError)
        {
            return (null, StatusCodes.Status400BadRequest, $"project: {nameError}");
        }

        return caller.Reaches(asked.ToString())
            ? (asked.ToString(), StatusCodes.Status200OK, null)
            : (null, StatusCodes.Status403Forbidden, $"project: the key belongs to another project than '{asked}'");
    }
}
