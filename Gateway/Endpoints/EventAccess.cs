using Eventd.Gateway.Auth;
using Eventd.Grains.Interfaces;

namespace Eventd.Gateway.Endpoints;

/// <summary>
/// Whether a caller may act on an event by id (cancel, redeliver). A key that reaches every project needs
/// no read first; a project key's event is read to learn its project.
/// </summary>
public static class EventAccess
{
    public enum Refusal
    {
        NotFound,
        OtherProject,
    }

    public static async Task<Refusal?> CheckAsync(IScheduledEventGrain grain, Caller caller)
    {
        if (caller.ReachesAll)
        {
            return null;
        }

        var view = await grain.Get();
        return view is null ? Refusal.NotFound
            : caller.Reaches(view.Spec.Project) ? null
            : Refusal.OtherProject;
    }
}
