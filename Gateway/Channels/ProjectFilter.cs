using Eventd.Gateway.Auth;
using Eventd.Grains.Interfaces;

namespace Eventd.Gateway.Channels;

/// <summary>
/// Keeps a project key's channel stream to its own project's fires: channel names are shared by every
/// project (they are Redis channel names), so each message's event is looked up once, by id.
/// </summary>
public sealed class ProjectFilter(Caller caller, IGrainFactory grains)
{
    /// <summary>How many events' answers a stream remembers before it starts over.</summary>
    private const int Remembered = 10_000;

    private readonly Dictionary<string, bool> _shown = new(StringComparer.Ordinal);

    public async ValueTask<bool> ShowsAsync(string message)
    {
        if (caller.ReachesAll)
        {
            return true;
        }

        if (FireIds.Of(message) is not { } ids)
        {
            return false;
        }

        if (_shown.TryGetValue(ids.EventId, out var shown))
        {
            return shown;
        }

        var view = await grains.GetGrain<IScheduledEventGrain>(ids.EventId).Get();
        shown = view is not null && caller.Reaches(view.Spec.Project);
        if (_shown.Count >= Remembered)
        {
            _shown.Clear();
        }

        _shown[ids.EventId] = shown;
        return shown;
    }
}
