namespace Eventd.Grains.Schedules;

/// <summary>The time zones a cron schedule may name: the platform's IANA database (tzdata on Linux).</summary>
public static class ScheduleZones
{
    public const string Utc = "UTC";

    /// <summary>The zone named <paramref name="name"/>; false when the platform knows no such zone.</summary>
    public static bool TryFind(string name, out TimeZoneInfo zone)
    {
        if (name == Utc)
        {
            zone = TimeZoneInfo.Utc;
            return true;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(name, out zone!);
    }

    /// <summary>The zone of a schedule already accepted (its name was checked then); UTC when none is named.</summary>
    public static TimeZoneInfo Of(string? name) =>
        name is not null && TryFind(name, out var zone) ? zone : TimeZoneInfo.Utc;
}
