using Cronos;
using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Events;

/// <summary>
/// When an event's fires are due: the first is fixed when its schedule is accepted (and refused beyond
/// the horizon, see <see cref="EventRules"/>); each later one follows from the fire before it.
/// </summary>
public static class NextFire
{
    /// <summary>The first due time of a schedule accepted at <paramref name="now"/>; null when a cron never fires.</summary>
    public static DateTimeOffset? First(ScheduleSpec schedule, DateTimeOffset now)
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

    /// <summary>
    /// The due time of the fire after fire number <paramref name="seq"/>, which was due at
    /// <paramref name="previousDue"/>; null when the schedule is done.
    /// </summary>
    /// <remarks>
    /// Unbounded schedules (repeat forever, cron) skip the slots missed while nothing ran, so a
    /// cluster that was down for an hour fires once, late, and not sixty times at once. A
    /// bounded repeat keeps every one of its fires.
    /// </remarks>
    public static DateTimeOffset? Due(ScheduleSpec schedule, int seq, DateTimeOffset previousDue, DateTimeOffset now)
    {
        if (schedule.Cron is { } cron)
        {
            var from = previousDue > now ? previousDue : now;
            return CronExpression.Parse(cron, CronFormat.Standard).GetNextOccurrence(from, TimeZoneInfo.Utc, inclusive: false);
        }

        var period = TimeSpan.FromSeconds(schedule.DelaySeconds);
        switch (schedule.Repeat)
        {
            case RepeatMode.Times when seq < schedule.Times:
                return previousDue + period;
            case RepeatMode.Forever when period > TimeSpan.Zero:
                var next = previousDue + period;
                if (next < now)
                {
                    var elapsed = (long)Math.Floor((now - previousDue) / period);
                    next = previousDue + (period * elapsed);
                    if (next < now)
                    {
                        next += period;
                    }
                }

                return next;
            default:
                return null;
        }
    }
}
