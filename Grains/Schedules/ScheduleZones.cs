namespace Eventd.Grains.Schedules;

/// <summary>The time zones a cron schedule may name: the platform's IANA database (tzdata on Linux).</summary>
public static class ScheduleZones
{
    public const string Utc = "UTC";

    /// <summary>Files of the zoneinfo folder that are not zones a schedule may name: the host's own zone, and POSIX-rule copies.</summary>
    private static readonly HashSet<string> NotZones = new(StringComparer.OrdinalIgnoreCase) { "localtime", "posixrules", "Factory" };

    /// <summary>
    /// The IANA zone named exactly <paramref name="name"/>; false for an unknown name. The platform's lookup
    /// is not enough on its own: it caches zones case-insensitively (so a wrongly cased name would pass only
    /// once the right one was loaded), maps Windows ids, and reads any file of the zoneinfo folder.
    /// </summary>
    public static bool TryFind(string name, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (name == Utc)
        {
            return true;
        }

        if (NotZones.Contains(name) || name.StartsWith("posix/", StringComparison.OrdinalIgnoreCase) || name.StartsWith("right/", StringComparison.OrdinalIgnoreCase)
            || !TimeZoneInfo.TryFindSystemTimeZoneById(name, out var found) || !found.HasIanaId || !string.Equals(found.Id, name, StringComparison.Ordinal))
        {
            return false;
        }

        zone = found;
        return true;
    }

    /// <summary>The zone of a schedule already accepted (its name was checked then); UTC when none is named.</summary>
    public static TimeZoneInfo Of(string? name) =>
        name is not null && TryFind(name, out var zone) ? zone : TimeZoneInfo.Utc;
}
