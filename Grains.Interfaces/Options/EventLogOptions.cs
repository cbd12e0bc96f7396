using System.ComponentModel.DataAnnotations;

namespace Eventd.Grains.Interfaces.Options;

/// <summary>The <c>Eventd:EventLog</c> section.</summary>
public sealed class EventLogOptions
{
    public const string Section = "Eventd:EventLog";

    /// <summary>How long an event and its transactions are kept after the event was emitted; its <c>ttl</c>.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 30;

    public TimeSpan Retention => TimeSpan.FromDays(RetentionDays);
}
