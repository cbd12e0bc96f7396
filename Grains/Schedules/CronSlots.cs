using Cronos;

namespace Eventd.Grains.Schedules;

/// <summary>
/// The slots of a cron expression read in a time zone, as true UTC instants. Cronos handles the
/// daylight-saving gaps (a local time that does not exist comes due at the first instant after the
/// gap, once); a local time that happens twice comes due once, at its first occurrence — Cronos
/// repeats interval expressions (<c>*/15 * * * *</c>) in the repeated hour, so that second pass is skipped here.
/// </summary>
public static class CronSlots
{
    /// <summary>The first slot after <paramref name="from"/> (or at it, when <paramref name="inclusive"/>); null when none comes.</summary>
    public static DateTimeOffset? Next(string cron, TimeZoneInfo zone, DateTimeOffset from, bool inclusive) =>
        Next(Parse(cron), zone, from, inclusive);

    /// <summary>As <see cref="Next(string, TimeZoneInfo, DateTimeOffset, bool)"/>, for an expression parsed once for many slots.</summary>
    public static DateTimeOffset? Next(CronExpression expression, TimeZoneInfo zone, DateTimeOffset from, bool inclusive)
    {
        var next = expression.GetNextOccurrence(from, zone, inclusive);
        while (next is { } slot && IsSecondOccurrence(slot, zone))
        {
            next = expression.GetNextOccurrence(slot, zone, inclusive: false);
        }

        return next?.ToUniversalTime();
    }

    public static CronExpression Parse(string cron) => CronExpression.Parse(cron, CronFormat.Standard);

    /// <summary>Whether <paramref name="expression"/> is a 5-field cron expression.</summary>
    public static bool IsCron(string expression) => CronExpression.TryParse(expression, CronFormat.Standard, out _);

    /// <summary>
    /// An instant whose local time in <paramref name="zone"/> happened earlier that day already: the clocks
    /// went back, and of an ambiguous local time the later instant is the one with the smaller offset.
    /// </summary>
    private static bool IsSecondOccurrence(DateTimeOffset instant, TimeZoneInfo zone) =>
        zone.IsAmbiguousTime(instant) && TimeZoneInfo.ConvertTime(instant, zone).Offset == zone.GetAmbiguousTimeOffsets(instant).Min();
}
