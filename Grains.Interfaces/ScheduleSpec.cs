using System.Text.Json.Serialization;

namespace Eventd.Grains.Interfaces;

/// <summary>When an event fires: a first due time, then a repeat rule or a cron expression.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.ScheduleSpec")]
public sealed record ScheduleSpec : IJsonOnDeserialized
{
    /// <summary>How far ahead a first fire may be due (API.md: "within 10 years").</summary>
    public static readonly TimeSpan MaxHorizon = TimeSpan.FromDays(3653);

    /// <summary>Seconds added to the base time for the first fire, and the period of a repeat.</summary>
    [Id(0)] public double DelaySeconds { get; init; }

    /// <summary>The absolute base time the client gave, if any.</summary>
    [Id(1)] public DateTimeOffset? Timestamp { get; init; }

    [Id(2)] public RepeatMode Repeat { get; init; } = RepeatMode.Once;

    /// <summary>How many fires in all when <see cref="Repeat"/> is <see cref="RepeatMode.Times"/>.</summary>
    [Id(3)] public int Times { get; init; } = 1;

    /// <summary>A 5-field cron expression, read in <see cref="TimeZone"/>; when set it replaces delay and repeat.</summary>
    [Id(4)] public string? Cron { get; init; }

    [Id(5)] private DateTimeOffset _firstDueAt;

    /// <summary>The due time of the first fire, fixed when the schedule was accepted.</summary>
    [JsonIgnore]
    public DateTimeOffset FirstDueAt { get => _firstDueAt; init => _firstDueAt = value; }

    /// <summary>
    /// Stored JSON leaves <see cref="FirstDueAt"/> out where it is <see cref="Timestamp"/> itself (an event
    /// "at a time": most pending events), so no pending event stores one time twice; reading puts it back.
    /// </summary>
    [JsonInclude]
    [JsonPropertyName("firstDueAt")]
    private DateTimeOffset? StoredFirstDueAt
    {
        get => IsAtTimestamp ? null : _firstDueAt;
        init => _firstDueAt = value ?? default;
    }

    /// <summary>Whether the first fire is due at the timestamp itself: no delay after it, no cron slot to find.</summary>
    private bool FiresAtTimestamp => Cron is null && DelaySeconds == 0;

    // A new spec (no timestamp, no first due time) counts as at its timestamp too: it starts as null, so
    // the compact JSON leaves it out rather than writing a null.
    private bool IsAtTimestamp => FiresAtTimestamp && (Timestamp ?? default) == _firstDueAt;

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (_firstDueAt == default && FiresAtTimestamp && Timestamp is { } at)
        {
            _firstDueAt = at;
        }
    }

    /// <summary>The IANA time zone <see cref="Cron"/> is read in; null is UTC.</summary>
    [Id(6)] public string? TimeZone { get; init; }

    [Id(7)] public CatchupPolicy Catchup { get; init; } = CatchupPolicy.One;

    [Id(8)] public OverlapPolicy Overlap { get; init; } = OverlapPolicy.Allow;
}

[GenerateSerializer, Alias("Eventd.RepeatMode")]
public enum RepeatMode
{
    Once = 0,
    Forever = 1,
    Times = 2,
}
