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
    /// The slots from <paramref name="slot"/> (included) up to <paramref name="now"/> (included) and the first
    /// slot after <paramref name="now"/>: what is passed over when those slots are not fired one by one.
    /// </summary>
    public static (DateTimeOffset? Next, int Passed) Pass(ScheduleSpec schedule, DateTimeOffset slot, DateTimeOffset now)
    {
        if (slot > now)
        {
            return (slot, 0);
        }

        if (schedule.Cron is null)
        {
            return PassRepeat(schedule, slot, now);
        }

        var passed = 0;
        DateTimeOffset? next = slot;
        while (next is { } due && due <= now)
        {
            if (++passed == MaxCounted)
            {
                return (CronSlots.Next(schedule.Cron, ScheduleZones.Of(schedule.TimeZone), now, inclusive: false), passed);
            }

            next = After(schedule, due);
        }

        return (next, passed);
    }

    private static (DateTimeOffset? Next, int Passed) PassRepeat(ScheduleSpec schedule, DateTimeOffset slot, DateTimeOffset now)
    {
        var period = Period(schedule);
        if (schedule.Repeat == RepeatMode.Once || period <= TimeSpan.Zero)
        {
            return (null, 1);
        }

        var end = schedule.Repeat == RepeatMode.Times && Last(schedule) < now ? Last(schedule) : now;
        var later = end < slot ? 0 : (end - slot).Ticks / period.Ticks;
        var passed = (int)Math.Min(later + 1, MaxCounted);
        return (After(schedule, slot + (period * later)), passed);
    }

    private static TimeSpan Period(ScheduleSpec schedule) => TimeSpan.FromSeconds(schedule.DelaySeconds);

    /// <summary>The last slot of <c>repeat: n</c>.</summary>
    private static DateTimeOffset Last(ScheduleSpec schedule) => schedule.FirstDueAt + (Period(schedule) * (schedule.Times - 1));
}
