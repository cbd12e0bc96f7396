using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Endpoints;

/// <summary>The persisted health of one endpoint (stored as JSON in Redis); only its grain writes it.</summary>
public sealed class EndpointHealthState
{
    public const string Name = "endpoint";

    public bool Disabled { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
    public DateTimeOffset? FailingSince { get; set; }
    public DateTimeOffset? LastSuccessAt { get; set; }
    public int Failures { get; set; }
}

/// <summary>
/// When an endpoint is disabled (API.md "Endpoint health"): at once on <c>410 Gone</c>, or when every
/// attempt has failed for <c>DisableAfter</c> with at least <see cref="MinFailures"/> failures and no
/// success. Pure, so tests drive it with any clock.
/// </summary>
public static class EndpointHealthRules
{
    public const int MinFailures = 10;

    public const string GoneReason = "410 Gone";

    public static void Failed(EndpointHealthState s, EndpointFailures failures, TimeSpan disableAfter)
    {
        if (s.Disabled)
        {
            // Attempts that were under way when it was disabled change nothing.
            return;
        }

        s.FailingSince ??= failures.FirstAt;
        s.Failures += failures.Count;
        if (failures.Gone)
        {
            Disable(s, failures.LastAt, GoneReason);
        }
        else if (s.Failures >= MinFailures && failures.LastAt - s.FailingSince >= disableAfter)
        {
            Disable(s, failures.LastAt, $"every attempt failed for {disableAfter:c} ({s.Failures} failures, no success)");
        }
    }

    /// <summary>A delivered attempt ends a failing streak; it does not enable a disabled endpoint (an operator does).</summary>
    public static void Succeeded(EndpointHealthState s, DateTimeOffset at)
    {
        if (s.LastSuccessAt is null || s.LastSuccessAt < at)
        {
            s.LastSuccessAt = at;
        }

        if (!s.Disabled)
        {
            s.FailingSince = null;
            s.Failures = 0;
        }
    }

    public static void Enable(EndpointHealthState s)
    {
        s.Disabled = false;
        s.Reason = null;
        s.DisabledAt = null;
        s.FailingSince = null;
        s.Failures = 0;
    }

    public static EndpointView View(EndpointHealthState s, string origin, bool known) => new()
    {
        Origin = origin,
        Known = known,
        Disabled = s.Disabled,
        Reason = s.Reason,
        DisabledAt = s.DisabledAt,
        FailingSince = s.FailingSince,
        LastSuccessAt = s.LastSuccessAt,
        Failures = s.Failures,
    };

    private static void Disable(EndpointHealthState s, DateTimeOffset at, string reason)
    {
        s.Disabled = true;
        s.Reason = reason;
        s.DisabledAt = at;
    }
}
