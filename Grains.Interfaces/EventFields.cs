using System.Collections.Immutable;

namespace Eventd.Grains.Interfaces;

/// <summary>
/// The fields of an Eventd v1 create or update body as the client gave them, each already checked on
/// its own by the gateway; what was absent stays null. The grains combine them into an
/// <see cref="EventSpec"/> under the rules that span fields: the intake for a create, the event's own
/// grain (over its stored spec, in one turn) for an update.
/// </summary>
[GenerateSerializer, Immutable, Alias("Eventd.EventFields")]
public sealed record EventFields
{
    [Id(0)] public double? Delay { get; init; }
    [Id(1)] public DateTimeOffset? Timestamp { get; init; }
    [Id(2)] public RepeatMode? Repeat { get; init; }

    /// <summary>Fires in all for a <see cref="RepeatMode.Times"/> repeat; given with <see cref="Repeat"/>.</summary>
    [Id(3)] public int? Times { get; init; }
    [Id(4)] public string? Cron { get; init; }
    [Id(5)] public string? Url { get; init; }
    [Id(6)] public string? Method { get; init; }
    [Id(7)] public ImmutableDictionary<string, string>? Headers { get; init; }
    [Id(8)] public string? Channel { get; init; }

    /// <summary>True when <c>data</c> or <c>payload</c> was given (even as null): an update then replaces the stored data.</summary>
    [Id(9)] public bool HasData { get; init; }

    /// <summary>The payload as raw JSON text.</summary>
    [Id(10)] public string? Data { get; init; }
    [Id(11)] public int? Retries { get; init; }
    [Id(12)] public int? TimeoutMs { get; init; }

    /// <summary>The IANA time zone name for <see cref="Cron"/>; checked to exist by the grains.</summary>
    [Id(13)] public string? TimeZone { get; init; }
    [Id(14)] public CatchupPolicy? Catchup { get; init; }
    [Id(15)] public OverlapPolicy? Overlap { get; init; }
    [Id(16)] public FlowControl? FlowControl { get; init; }
    [Id(17)] public string? OrderingKey { get; init; }
}
