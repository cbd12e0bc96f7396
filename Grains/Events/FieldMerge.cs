using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Events;

/// <summary>How an update's fields combine with a stored event's: the update's where given, the stored ones elsewhere.</summary>
public static class FieldMerge
{
    /// <summary>The fields of a stored spec, so an update can lay its own fields over them.</summary>
    public static EventFields From(EventSpec spec) => new()
    {
        Delay = spec.Schedule.DelaySeconds,
        Timestamp = spec.Schedule.Timestamp,
        Repeat = spec.Schedule.Repeat,
        Times = spec.Schedule.Times,
        Cron = spec.Schedule.Cron,
        Url = spec.Webhook?.Url,
        Method = spec.Webhook?.Method,
        Headers = spec.Webhook?.Headers,
        Channel = spec.Channel,
        HasData = true,
        Data = spec.Data,
        Retries = spec.Webhook?.Retries,
        TimeoutMs = spec.Webhook?.TimeoutMs,
        TimeZone = spec.Schedule.TimeZone,
        Catchup = spec.Schedule.Catchup,
        Overlap = spec.Schedule.Overlap,
        FlowControl = spec.Webhook?.FlowControl,
        OrderingKey = spec.OrderingKey,
    };

    /// <summary>True when the fields move the schedule: an update with them reschedules (a new time zone moves a cron's slots).</summary>
    public static bool Reschedules(EventFields update) =>
        update.Delay is not null || update.Timestamp is not null || update.Cron is not null || update.TimeZone is not null;

    /// <summary>
    /// <paramref name="update"/> laid over <paramref name="stored"/>. A cron replaces delay and repeat, and
    /// a delay or repeat replaces a cron, as they would at create, and the cron's stored time zone with it.
    /// </summary>
    public static EventFields Over(EventFields update, EventFields stored)
    {
        var merged = new EventFields
        {
            Delay = update.Delay ?? stored.Delay,
            // A new delay alone counts from now (API.md: "reschedules the next fire from now"), not from a stored timestamp.
            Timestamp = update.Timestamp ?? (update.Delay is not null ? null : stored.Timestamp),
            Repeat = update.Repeat ?? stored.Repeat,
            Times = update.Repeat is null ? stored.Times : update.Times,
            Cron = update.Cron ?? stored.Cron,
            Url = update.Url ?? stored.Url,
            Method = update.Method ?? stored.Method,
            Headers = update.Headers ?? stored.Headers,
            Channel = update.Channel ?? stored.Channel,
            HasData = true,
            Data = update.HasData ? update.Data : stored.Data,
            Retries = update.Retries ?? stored.Retries,
            TimeoutMs = update.TimeoutMs ?? stored.TimeoutMs,
            TimeZone = update.TimeZone ?? stored.TimeZone,
            Catchup = update.Catchup ?? stored.Catchup,
            Overlap = update.Overlap ?? stored.Overlap,
            FlowControl = update.FlowControl ?? stored.FlowControl,
            OrderingKey = update.OrderingKey ?? stored.OrderingKey,
        };
        if (update.Cron is not null)
        {
            return merged with { Delay = update.Delay, Repeat = update.Repeat, Times = update.Times };
        }

        return update.Delay is not null || update.Repeat is not null ? merged with { Cron = null, TimeZone = update.TimeZone } : merged;
    }
}
