using System.ComponentModel.DataAnnotations;

namespace Eventd.Grains.Interfaces.Options;

/// <summary>The <c>Eventd:Schedules</c> section.</summary>
public sealed class ScheduleOptions
{
    public const string Section = "Eventd:Schedules";

    /// <summary>At most this many missed slots fire one by one under <c>catchup: all</c>; the rest are skipped.</summary>
    [Range(1, 100_000)]
    public int MaxCatchup { get; set; } = 100;
}
