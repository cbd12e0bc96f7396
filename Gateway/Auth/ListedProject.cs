using Eventd.Gateway.SpaceCloud;
using Eventd.Grains.Interfaces;

namespace Eventd.Gateway.Auth;

/// <summary>
/// The project a list shows (events, dead letters, hooks): <c>?project=</c> when given, which the admin key
/// (or a keyless caller) may set to any project and a project key only to its own, else the caller's
/// (or, for events and dead letters, every project for a caller that reaches all: <see cref="OrEvery"/>).
/// </summary>
public static class ListedProject
{
    public const string QueryName = "project";

    /// <summary>
    /// As <see cref="Of"/>, except that without <c>?project=</c> a caller reaching every project (the admin key, or
    /// a keyless caller) lists every project's: <see cref="ProjectNames.Every"/>, for the lists indexed under it too.
    /// </summary>
    public static (string? Project, int Status, string? Error) OrEvery(HttpContext context) =>
        context.Request.Query[QueryName].Count == 0 && Caller.Of(context).ReachesAll
            ? (ProjectNames.Every, StatusCodes.Status200OK, null)
            : Of(context);

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
