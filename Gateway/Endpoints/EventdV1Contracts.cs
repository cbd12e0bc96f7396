using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Eventd.Grains.Interfaces;

namespace Eventd.Gateway.Endpoints;

/// <summary>The create, update and error envelope: <c>{"id", "ok", "cancel", "update", "error"}</c>.</summary>
public sealed record EventEnvelope(string? Id, bool Ok, string? Cancel, string? Update, string? Error)
{
    public static EventEnvelope For(string id) => new(id, true, $"/eventd/v1/cancel/{id}", $"/eventd/v1/update/{id}", null);
}

/// <summary>The error envelope of Eventd v1: <c>{"id": null, "ok": false, "error": "delay: must be &gt;= 0"}</c>.</summary>
public sealed record ErrorEnvelope(string? Id, bool Ok, string Error)
{
    public static ErrorEnvelope Of(string error, string? id = null) => new(id, false, error);
}

/// <summary>The error body of the webhook register and Space Cloud families: <c>{"error": "type: required"}</c>.</summary>
public sealed record ErrorMessage(string Error);

/// <summary>The answer of an action on one event (cancel, redeliver): <c>{"id", "ok", "error"}</c>.</summary>
public sealed record AckEnvelope(string Id, bool Ok, string? Error);

public sealed record ReadEnvelope(string Id, bool Ok, EventJson Event, string? Error);

public sealed record DeliveriesEnvelope(string Id, bool Ok, IReadOnlyList<AttemptJson> Deliveries);

/// <summary>One attempt: <c>{"seq", "attempt", "at", "statusCode", "durationMs", "error"}</c>.</summary>
public sealed record AttemptJson(int Seq, int Attempt, DateTime At, int? StatusCode, long DurationMs, string? Error)
{
    public static AttemptJson From(DeliveryAttempt a) => new(a.Seq, a.Attempt, a.At.UtcDateTime, a.StatusCode, a.DurationMs, a.Error);
}

public sealed record LastDeliveryJson(string Status, int Attempts, int? StatusCode, string? Error, DateTime At);

/// <summary>An event on the wire: the spec as stored, plus where it is in its life.</summary>
public sealed record EventJson
{
    public required string Id { get; init; }
    public double Delay { get; init; }
    public DateTime? Timestamp { get; init; }
    public JsonNode? Repeat { get; init; }
    public string? Cron { get; init; }

    /// <summary>The time zone <see cref="Cron"/> is read in; <c>UTC</c> for a cron given none, null without a cron.</summary>
    public string? Timezone { get; init; }
    public required string Catchup { get; init; }
    public required string Overlap { get; init; }
    public string? Url { get; init; }
    public string? Method { get; init; }
    public ImmutableDictionary<string, string>? Headers { get; init; }
    public string? Channel { get; init; }
    public JsonNode? Data { get; init; }

    /// <summary>The event type, for events a Space Cloud queue, a webhook trigger or an emit made (what <c>q</c> also matches); null for Eventd v1 creates.</summary>
    public string? Type { get; init; }

    public required string Project { get; init; }
    public int? Retries { get; init; }
    public int? Timeout { get; init; }

    /// <summary>The webhook's flow-control key and limits (API.md "Flow control"); null for none.</summary>
    public FlowControlJson? FlowControl { get; init; }

    /// <summary>The key whose fires deliver one at a time (API.md "Ordering"); null for none.</summary>
    public string? OrderingKey { get; init; }
    public required string Status { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public DateTime? NextFireAt { get; init; }
    public int FireCount { get; init; }
    public LastDeliveryJson? LastDelivery { get; init; }

    /// <summary>Slots not fired (<c>catchup: skip</c>, <c>overlap: skip</c>, a pause); never in <see cref="FireCount"/>.</summary>
    public int SkippedFires { get; init; }

    /// <summary>A status as the API writes it: <c>scheduled</c>, <c>paused</c>, <c>delivering</c>, <c>delivered</c>, <c>failed</c>, <c>cancelled</c>.</summary>
    public static string StatusName(EventStatus status) => status.ToString().ToLowerInvariant();

    public static EventJson From(EventView view)
    {
        var spec = view.Spec;
        var schedule = spec.Schedule;
        return new EventJson
        {
            Id = view.Id,
            Delay = schedule.DelaySeconds,
            Timestamp = schedule.Timestamp?.UtcDateTime,
            Repeat = schedule.Repeat switch
            {
                RepeatMode.Forever => JsonValue.Create(true),
                RepeatMode.Times => JsonValue.Create(schedule.Times),
                _ => JsonValue.Create(false),
            },
            Cron = schedule.Cron,
            Timezone = schedule.Cron is null ? null : schedule.TimeZone ?? "UTC",
            Catchup = SchedulePolicyNames.Of(schedule.Catchup),
            Overlap = SchedulePolicyNames.Of(schedule.Overlap),
            Url = spec.Webhook?.Url,
            Method = spec.Webhook?.Method,
            Headers = spec.Webhook?.Headers,
            Channel = spec.Channel,
            Data = spec.Data is null ? null : JsonNode.Parse(spec.Data),
            Type = spec.Type,
            Project = spec.Project,
            Retries = spec.Webhook?.Retries,
            Timeout = spec.Webhook?.TimeoutMs,
            FlowControl = spec.Webhook?.FlowControl is { } limits ? FlowControlJson.From(limits) : null,
            OrderingKey = spec.OrderingKey,
            Status = StatusName(view.Status),
            CreatedAt = view.CreatedAt.UtcDateTime,
            UpdatedAt = view.UpdatedAt.UtcDateTime,
            NextFireAt = view.NextFireAt?.UtcDateTime,
            FireCount = view.FireCount,
            SkippedFires = view.SkippedFires,
            LastDelivery = view.LastDelivery is { } last
                ? new LastDeliveryJson(last.Succeeded ? "delivered" : "failed", last.Attempts, last.StatusCode, last.Error, last.At.UtcDateTime)
                : null,
        };
    }
}
