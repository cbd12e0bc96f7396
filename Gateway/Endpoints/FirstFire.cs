using Cronos;
using Eventd.Grains.Interfaces;

namespace Eventd.Gateway.Endpoints;

/// <summary>
/// When a schedule accepted now first fires: the gateway fixes it at accept time (and refuses one
/// beyond the horizon); the event grain works out every later slot (<c>ScheduleSlots</c>, <c>CatchUp</c>).
/// </summary>
public static class FirstFire
{
    /// <summary>The first due time of a schedule accepted at <paramref name="now"/>; null when a cron never fires.</summary>
    public static DateTimeOffset? Due(ScheduleSpec schedule, DateTimeOffset now)
    {
        var baseTime = schedule.Timestamp ?? now;
        if (schedule.Cron is { } cron)
        {
            // A cron schedule starts at its first occurrence not before the base time (or now).
            var from = baseTime > now ? baseTime : now;
            return CronExpression.Parse(cron, CronFormat.Standard).GetNextOccurrence(from, TimeZoneInfo.Utc, inclusive: true);
        }

        return baseTime + TimeSpan.FromSeconds(schedule.DelaySeconds);
    }

    /// <summary>Whether <paramref name="expression"/> is a 5-field cron expression.</summary>
    public static bool IsCron(string expression) => CronExpression.TryParse(expression, CronFormat.Standard, out _);
}
