using System.Collections.Immutable;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Options;
using Eventd.Grains.Schedules;

namespace Eventd.Grains.Events;

/// <summary>
/// Turns Eventd v1 fields (each checked on its own by the gateway) into the event model, applying the
/// rules that span fields. The intake runs it for a create, the event grain for an update, so both hold
/// an event to the same rules; each error names the field first.
/// </summary>
public static class EventRules
{
    public static (EventSpec? Spec, string? Error) ForCreate(EventFields fields, DeliveryOptions defaults, string project, DateTimeOffset now)
    {
        if (fields.Url is null && fields.Channel is null)
        {
            return (null, "url: required unless a channel is given (url, webhook.url or channel)");
        }

        if (fields.Url is null && (fields.Method is not null || fields.Headers is not null))
        {
            return (null, "url: required when method or headers are given");
        }

        if (fields.Url is null && (fields.FlowControl is not null || fields.OrderingKey is not null))
        {
            return (null, $"{(fields.FlowControl is not null ? "flowControl" : "orderingKey")}: applies to webhooks; give a url");
        }

        var (schedule, error) = Schedule(fields, now);
        if (schedule is null)
        {
            return (null, error);
        }

        var spec = new EventSpec
        {
            Project = project,
            Schedule = schedule,
            Webhook = fields.Url is null ? null : new WebhookTarget
            {
                Url = fields.Url,
                Method = fields.Method ?? "POST",
                Headers = fields.Headers ?? ImmutableDictionary<string, string>.Empty,
                Retries = fields.Retries ?? defaults.DefaultRetries,
                TimeoutMs = fields.TimeoutMs ?? defaults.DefaultTimeoutMs,
                FlowControl = fields.FlowControl,
            },
            Channel = fields.Channel,
            Data = fields.Data,
            OrderingKey = fields.OrderingKey,
        };
        return (spec, null);
    }

    /// <summary>
    /// The spec an update makes of a stored one: the update's fields over the stored ones, held
    /// to every create rule. Without a new delay, timestamp or cron the first due time is kept.
    /// </summary>
    /// <remarks>
    /// The event keeps its type. A fan-out (a queued Space Cloud event) delivers to the triggers it was
    /// queued for: an update may move its schedule and replace its data, never give it a url or channel.
    /// </remarks>
    public static (EventSpec? Spec, string? Error) ForUpdate(EventSpec stored, EventFields update, DeliveryOptions defaults, DateTimeOffset now)
    {
        var merged = FieldMerge.Over(update, FieldMerge.From(stored));
        EventSpec? spec;
        if (stored.Targets is not null)
        {
            if (DeliveryField(update) is { } field)
            {
                return (null, $"{field}: a queued event is delivered to the triggers it was queued for; only its schedule and data can change");
            }

            var (schedule, scheduleError) = Schedule(merged, now);
            spec = schedule is null ? null : stored with { Schedule = schedule, Data = merged.Data };
            if (spec is null)
            {
                return (null, scheduleError);
            }
        }
        else
        {
            (spec, var error) = ForCreate(merged, defaults, stored.Project, now);
            if (spec is null)
            {
                return (null, error);
            }

            // An update is not a new event: its fires stay in the trace of the request that created it.
            spec = spec with { Type = stored.Type, TraceParent = stored.TraceParent };
        }

        return FieldMerge.Reschedules(update)
            ? (spec, null)
            : (spec with { Schedule = spec.Schedule with { FirstDueAt = stored.Schedule.FirstDueAt } }, null);
    }

    /// <summary>The first field of <paramref name="update"/> that names where the event is delivered.</summary>
    private static string? DeliveryField(EventFields update) =>
        update.Url is not null ? "url"
        : update.Method is not null ? "method"
        : update.Headers is not null ? "headers"
        : update.Channel is not null ? "channel"
        : update.Retries is not null ? "retries"
        : update.TimeoutMs is not null ? "timeout"
        : update.FlowControl is not null ? "flowControl"
        : update.OrderingKey is not null ? "orderingKey"
        : null;

    /// <summary>The schedule of the fields, with its first due time fixed at <paramref name="now"/>.</summary>
    public static (ScheduleSpec? Schedule, string? Error) Schedule(EventFields fields, DateTimeOffset now)
    {
        var delay = fields.Delay ?? 0;
        var repeat = fields.Repeat ?? RepeatMode.Once;
        var times = fields.Times ?? 1;
        if (fields.Cron is { } cron)
        {
            if (!CronSlots.IsCron(cron))
            {
                return (null, "cron: must be a 5-field cron expression (minute hour day-of-month month day-of-week)");
            }

            if (delay != 0 || repeat != RepeatMode.Once)
            {
                return (null, "cron: replaces delay and repeat; give one or the other");
            }
        }
        else if ((repeat == RepeatMode.Forever || (repeat == RepeatMode.Times && times >= 2)) && delay < 1)
        {
            return (null, "delay: must be >= 1 for a repeating event");
        }

        if (fields.TimeZone is { } zone)
        {
            // Given now or stored with a cron the update replaced: a time zone means nothing without a cron.
            if (fields.Cron is null)
            {
                return (null, "timezone: applies to cron only");
            }

            if (!ScheduleZones.TryFind(zone, out _))
            {
                return (null, "timezone: unknown time zone");
            }
        }

        // Bounded before any arithmetic, so no date can overflow.
        if (delay > ScheduleSpec.MaxHorizon.TotalSeconds)
        {
            return (null, "delay: the first fire must be due within 10 years");
        }

        if (fields.Timestamp > now + ScheduleSpec.MaxHorizon)
        {
            return (null, "timestamp: the first fire must be due within 10 years");
        }

        var schedule = new ScheduleSpec
        {
            DelaySeconds = delay,
            Timestamp = fields.Timestamp,
            Repeat = repeat,
            Times = times,
            Cron = fields.Cron,
            TimeZone = fields.TimeZone,
            Catchup = fields.Catchup ?? CatchupPolicy.One,
            Overlap = fields.Overlap ?? OverlapPolicy.Allow,
        };
        var first = ScheduleSlots.First(schedule, now);
        if (first is null || first > now + ScheduleSpec.MaxHorizon)
        {
            var field = fields.Cron is not null ? "cron" : fields.Timestamp is null ? "delay" : "timestamp";
            return (null, $"{field}: the first fire must be due within 10 years");
        }

        return (schedule with { FirstDueAt = first.Value }, null);
    }
}
