using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Schedules;

/// <summary>
/// The slots of a schedule: the instants it comes due. The first is fixed when the schedule is accepted
/// (<see cref="ScheduleSpec.FirstDueAt"/>); a repeat's come every <c>delay</c> seconds after it (<c>repeat: n</c>
/// has n of them, whether each fired or not), a cron's are its expression's in its time zone.
/// </summary>
public static class ScheduleSlots
{
    /// <summary>
    /// Counting the slots a long outage passed stops here (a minutely cron is about half a million a
    /// year); past it the count is a lower bound and the next slot is still exact.
    /// </summary>
    public const int MaxCounted = 1_000_000;

    /// <summary>
    /// The first slot of a schedule accepted at <paramref name="now"/>: the base time (the timestamp given,
    /// or now) plus the delay; for a cron, its first occurrence not before the base time (or now). Null when
    /// a cron never comes due.
    /// </summary>
    public static DateTimeOffset? First(ScheduleSpec schedule, DateTimeOffset now)
    {
        var baseTime = schedule.Timestamp ?? now;
        if (schedule.Cron is { } cron)
        {
            return CronSlots.Next(cron, ScheduleZones.Of(schedule.TimeZone), baseTime > now ? baseTime : now, inclusive: true);
        }

        return baseTime + TimeSpan.FromSeconds(schedule.DelaySeconds);
    }

    /// <summary>The slot after <paramref name="slot"/>; null when the schedule has no more.</summary>
    public static DateTimeOffset? After(ScheduleSpec schedule, DateTimeOffset slot)
    {
        if (schedule.Cron is { } cron)
        {
            return CronSlots.Next(cron, ScheduleZones.Of(schedule.TimeZone), slot, inclusive: false);
        }

        var next = slot + Period(schedule);
        return schedule.Repeat switch
        {
            RepeatMode.Forever when Period(schedule) > TimeSpan.Zero => next,
            RepeatMode.Times when next <= Last(schedule) => next,
            _ => null,
        };
    }

    /// <summary>
    /// The slots from <paramref name="slot"/> (included) that came due before <paramref name="now"/>, and the first
    /// slot not before <paramref name="now"/>: what is passed over when those slots are not fired one by one.
    /// </summary>
    public static (DateTimeOffset? Next, int Passed) Pass(ScheduleSpec schedule, DateTimeOffset slot, DateTimeOffset now)
    {
        if (slot >= now)
        {
            return (slot, 0);
        }

        if (schedule.Cron is null)
        {
            return PassRepeat(schedule, slot, now);
        }

        // Parsed once: an outage can pass over many slots.
        var expression = CronSlots.Parse(schedule.Cron);
        var zone = ScheduleZones.Of(schedule.TimeZone);
        var passed = 0;
        DateTimeOffset? next = slot;
        while (next is { } due && due < now)
        {
            if (++passed == MaxCounted)
            {
                return (CronSlots.Next(expression, zone, now, inclusive: true), passed);
            }

            next = CronSlots.Next(expression, zone, due, inclusive: false);
        }

        return (next, passed);
    }

    private static (DateTimeOffset? Next, int Passed) PassRepeat(ScheduleSpec schedule, DateTimeOffset slot, DateTimeOffset now)
    {
        var period = Period(schedule).Ticks;
        if (schedule.Repeat == RepeatMode.Once || period <= 0)
        {
            return (null, 1);
        }

        // The slots slot, slot + period, … before now: as many as periods started since slot.
        var before = ((now - slot).Ticks + period - 1) / period;
        if (schedule.Repeat == RepeatMode.Times)
        {
            var left = ((Last(schedule) - slot).Ticks / period) + 1;
            if (before >= left)
            {
                return (null, (int)Math.Min(left, MaxCounted));
            }
        }

        return (slot + TimeSpan.FromTicks(period * before), (int)Math.Min(before, MaxCounted));
    }

    private static TimeSpan Period(ScheduleSpec schedule) => TimeSpan.FromSeconds(schedule.DelaySeconds);

    /// <summary>The last slot of <c>repeat: n</c>.</summary>
    private static DateTimeOffset Last(ScheduleSpec schedule) => schedule.FirstDueAt + (Period(schedule) * (schedule.Times - 1));
}
