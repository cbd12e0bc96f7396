using System.ComponentModel.DataAnnotations;

namespace Eventd.Grains.Interfaces.Options;

/// <summary>The <c>Eventd:Retention</c> section (API.md "Retention"): how long what has settled is kept.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Eventd:Retention";

    /// <summary>How long a delivered, failed or cancelled event, its attempts and its list entries are kept after it settled.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00", ErrorMessage = "Eventd:Retention:Settled must be between 1 second and 3650 days")]
    public TimeSpan Settled { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a dead letter stays listed after it failed; its event and attempts are kept as long.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00", ErrorMessage = "Eventd:Retention:DeadLetters must be between 1 second and 3650 days")]
    public TimeSpan DeadLetters { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the list entries of what has expired are removed: a removed event stays counted in a list's total at most this long.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "Eventd:Retention:SweepEvery must be between 100 ms and 1 hour")]
    public TimeSpan SweepEvery { get; set; } = TimeSpan.FromSeconds(10);
}
