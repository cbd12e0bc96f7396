using Eventd.Grains.Interfaces;
using Eventd.Grains.Schedules;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>Cron slots in a time zone across daylight-saving changes, in two zones with different rules.</summary>
public class CronSlotsTests
{
    [Theory]
    // Berlin, 29 March 2026: 02:00 CET jumps to 03:00 CEST (01:00 UTC); 02:30 does not exist that night.
    [InlineData("Europe/Berlin", "30 2 * * *", "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z")]
    // New York, 8 March 2026: 02:00 EST jumps to 03:00 EDT (07:00 UTC).
    [InlineData("America/New_York", "0 2 * * *", "2026-03-07T12:00:00Z", "2026-03-08T07:00:00Z", "2026-03-09T06:00:00Z")]
    public void A_slot_in_a_spring_forward_gap_fires_once_right_after_the_gap(string zone, string cron, string from, string first, string second) =>
        Assert.Equal([At(first), At(second)], Slots(cron, zone, At(from), 2));

    [Theory]
    // Berlin, 25 October 2026: 03:00 CEST goes back to 02:00 CET; 02:30 happens at 00:30 and at 01:30 UTC.
    [InlineData("Europe/Berlin", "30 2 * * *", "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z")]
    // New York, 1 November 2026: 02:00 EDT goes back to 01:00 EST; 01:30 happens at 05:30 and at 06:30 UTC.
    [InlineData("America/New_York", "30 1 * * *", "2026-10-31T12:00:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z")]
    public void A_slot_in_a_fall_back_hour_fires_once_at_its_first_occurrence(string zone, string cron, string from, string first, string second) =>
        Assert.Equal([At(first), At(second)], Slots(cron, zone, At(from), 2));

    [Fact]
    public void An_interval_expression_fires_each_local_time_of_the_repeated_hour_once()
    {
        // Cronos keeps intervals in both passes of the repeated hour; the second pass is skipped.
        var slots = Slots("*/30 * * * *", "Europe/Berlin", At("2026-10-24T23:45:00Z"), 4);

        Assert.Equal([At("2026-10-25T00:00:00Z"), At("2026-10-25T00:30:00Z"), At("2026-10-25T02:00:00Z"), At("2026-10-25T02:30:00Z")], slots);
    }

    [Fact]
    public void An_interval_expression_fires_once_for_the_whole_gap_then_goes_on()
    {
        var slots = Slots("*/20 * * * *", "America/New_York", At("2026-03-08T06:50:00Z"), 2);

        Assert.Equal([At("2026-03-08T07:00:00Z"), At("2026-03-08T07:20:00Z")], slots);
    }

    [Fact]
    public void Utc_slots_are_the_expression_read_in_utc()
    {
        Assert.True(ScheduleZones.TryFind("UTC", out var utc));

        Assert.Equal(At("2026-03-29T02:30:00Z"), CronSlots.Next("30 2 * * *", utc, At("2026-03-28T12:00:00Z"), inclusive: false));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    [InlineData("localtime")]
    [InlineData("posixrules")]
    [InlineData("Factory")]
    [InlineData("right/UTC")]
    [InlineData("posix/Europe/Berlin")]
    [InlineData("W. Europe Standard Time")]
    public void An_unknown_zone_is_not_found(string name) => Assert.False(ScheduleZones.TryFind(name, out _));

    [Fact]
    public void A_wrongly_cased_name_is_refused_even_once_the_right_one_is_loaded()
    {
        Assert.True(ScheduleZones.TryFind("America/Chicago", out _));

        Assert.False(ScheduleZones.TryFind("america/chicago", out _));
        Assert.False(ScheduleZones.TryFind("AMERICA/CHICAGO", out _));
    }

    [Theory]
    [InlineData("Etc/GMT+5")]
    [InlineData("Etc/UTC")]
    [InlineData("Asia/Kolkata")]
    [InlineData("Australia/Lord_Howe")]
    public void Iana_names_are_found(string name) => Assert.True(ScheduleZones.TryFind(name, out _));

    [Fact]
    public void Every_slot_is_a_utc_instant() =>
        Assert.All(Slots("0 9 * * *", "Asia/Tokyo", At("2026-06-01T00:00:00Z"), 3), slot => Assert.Equal(TimeSpan.Zero, slot.Offset));

    [Theory]
    // Berlin's night of 25 October 2026 (02:00-03:00 twice) and New York's of 8 March 2026 (02:00-03:00 never).
    [InlineData("Europe/Berlin", "2026-10-24T22:00:00Z", new[] { "00:00", "00:30", "01:00", "01:30", "02:00", "02:30", "03:00", "03:30", "04:00", "04:30" })]
    [InlineData("America/New_York", "2026-03-08T05:00:00Z", new[] { "00:00", "00:30", "01:00", "01:30", "03:00", "03:30", "04:00", "04:30", "05:00", "05:30" })]
    public void A_half_hourly_cron_taken_slot_by_slot_through_a_clock_change_fires_each_local_time_once(string zoneName, string startUtc, string[] expectedLocal)
    {
        // The event's own loop, on a FakeTimeProvider: wait for the next slot, take it, move on.
        Assert.True(ScheduleZones.TryFind(zoneName, out var zone));
        var time = new FakeTimeProvider(At(startUtc));
        var schedule = new ScheduleSpec { Cron = "*/30 * * * *", TimeZone = zoneName };
        var next = ScheduleSlots.First(schedule, time.GetUtcNow());
        var fired = new List<DateTimeOffset>();
        while (next is { } due && fired.Count < expectedLocal.Length)
        {
            time.Advance(due - time.GetUtcNow() + TimeSpan.FromMilliseconds(3));
            var step = CatchUp.Step(schedule, due, time.GetUtcNow(), catchingUp: 0, maxCatchup: 100);
            Assert.True(step.Fire);
            fired.Add(due);
            next = step.Next;
        }

        Assert.Equal(expectedLocal, fired.Select(at => TimeZoneInfo.ConvertTime(at, zone).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(fired.Count, fired.Distinct().Count());
    }

    private static List<DateTimeOffset> Slots(string cron, string zoneName, DateTimeOffset from, int count)
    {
        Assert.True(ScheduleZones.TryFind(zoneName, out var zone));
        var slots = new List<DateTimeOffset>();
        var at = from;
        while (slots.Count < count && CronSlots.Next(cron, zone, at, inclusive: false) is { } next)
        {
            slots.Add(next);
            at = next;
        }

        return slots;
    }

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
}
