using Cronos;
namespace Eventd.Grains.Interfaces;

/// <summary>
/// The arithmetic of a schedule: when the first fire is due and when the next one is. It sits
/// with the contracts because both sides need it: the gateway to validate, the grain to fire.
/// </summary>
public static class ScheduleCalculator
{
    /// <summary>The first due time of a schedule accepted at <paramref name="now"/>; null when a cron never fires.</summary>
    public static DateTimeOffset? FirstDue(ScheduleSpec schedule, DateTimeOffset now)
    {
        var baseTime = schedule.Timestamp ?? now;
        if (schedule.Cron is { } cron)
        {
            // A cron schedule starts at its first occurrence not before the base time (or now).
            var from = baseTime > now ? baseTime : now;
            return NextCronOccurrence(cron, from, inclusive: true);
        }

        return baseTime + TimeSpan.FromSeconds(schedule.DelaySeconds);
    }

    /// <summary>
    /// The due time of the fire after fire number <paramref name="seq"/>, which was due at
    /// <paramref name="previousDue"/>; null when the schedule is done.
    /// </summary>
    /// <remarks>
    /// Unbounded schedules (repeat forever, cron) skip the slots missed while nothing ran, so a
    /// cluster that was down for an hour fires once, late, and not sixty times at once. A
    /// bounded repeat keeps every one of its fires.
    /// </remarks>
    public static DateTimeOffset? NextDue(ScheduleSpec schedule, int seq, DateTimeOffset previousDue, DateTimeOffset now)
    {
        if (schedule.Cron is { } cron)
        {
            var from = previousDue > now ? previousDue : now;
            return NextCronOccurrence(cron, from, inclusive: false);
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

    /// <summary>Parses a 5-field cron expression; null when it is not one.</summary>
    public static CronExpression? TryParseCron(string expression) =>
        CronExpression.TryParse(expression, CronFormat.Standard, out var parsed) ? parsed : null;

    private static DateTimeOffset? NextCronOccurrence(string cron, DateTimeOffset from, bool inclusive) =>
        CronExpression.Parse(cron, CronFormat.Standard).GetNextOccurrence(from, TimeZoneInfo.Utc, inclusive);
}
