using System.ComponentModel;
using System.Text.Json.Nodes;

namespace Eventd.Gateway.Endpoints;

/// <summary>
/// The Eventd v1 create body as the OpenAPI document describes it. The routes read their bodies
/// themselves (<see cref="EventdV1Fields"/>), so these types only tell clients and tools what is accepted.
/// </summary>
public sealed record CreateEventBody
{
    [Description("Seconds until the first fire (fractions allowed); the period of a repeat.")]
    public double? Delay { get; init; }

    [Description("Absolute base time: milliseconds since the epoch (seconds below 1e11) or ISO 8601; delay is added to it.")]
    public JsonNode? Timestamp { get; init; }

    [Description("false: fire once; true: every delay seconds until cancelled; an integer n >= 1: n times.")]
    public JsonNode? Repeat { get; init; }

    [Description("5-field cron expression, instead of delay and repeat.")]
    public string? Cron { get; init; }

    [Description("IANA time zone the cron is read in; default UTC. Only with cron.")]
    public string? Timezone { get; init; }

    [Description("Slots of a repeating or cron event missed while nothing ran: skip, one (default) or all.")]
    public string? Catchup { get; init; }

    [Description("A slot due while an earlier fire is still delivering: allow (default), skip or bufferOne.")]
    public string? Overlap { get; init; }

    [Description("Absolute http(s) webhook URL.")]
    public string? Url { get; init; }

    [Description("GET, POST, PUT, PATCH or DELETE; default POST.")]
    public string? Method { get; init; }

    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    [Description("url, method and headers nested (the update shape).")]
    public WebhookBody? Webhook { get; init; }

    [Description("Pub/sub channel each fire is published on.")]
    public string? Channel { get; init; }

    [Description("The payload, any JSON; payload is an alias.")]
    public JsonNode? Data { get; init; }

    public JsonNode? Payload { get; init; }

    [Description("Retries after the first failed attempt, 0 to 100; default 3.")]
    public int? Retries { get; init; }

    [Description("Per-attempt timeout in ms, 100 to 60000; default 5000.")]
    public int? Timeout { get; init; }

    [Description("The flow-control key whose limits the webhook's attempts share with every other of the project naming it: at most rate starts per period seconds and at most parallelism in flight.")]
    public FlowControlJson? FlowControl { get; init; }

    [Description("Events of the project with this key have their webhook fires delivered one at a time, in due-time order (then creation order).")]
    public string? OrderingKey { get; init; }
}

/// <summary>The nested <c>webhook</c> of a create or update body.</summary>
public sealed record WebhookBody(string? Url, string? Method, IReadOnlyDictionary<string, string>? Headers);

/// <summary>The body of <c>POST /eventd/v1/events/batch</c>.</summary>
public sealed record CreateEventBatchBody(IReadOnlyList<CreateEventBody> Events);
