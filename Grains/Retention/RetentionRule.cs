using Eventd.Grains.Interfaces.Options;

namespace Eventd.Grains.Retention;

/// <summary>
/// How long a settled thing is kept (API.md "Retention"): <see cref="RetentionOptions.Settled"/> after it
/// settled; a dead letter, and the event and attempts it belongs to, <see cref="RetentionOptions.DeadLetters"/>
/// after it failed (never less than a settled one, so a failure is not forgotten before a success would be).
/// </summary>
public static class RetentionRule
{
    /// <summary>How long something settled is kept: a dead letter's (and its event's) retention, or a settled one's.</summary>
    public static TimeSpan Keep(bool deadLettered, RetentionOptions options) =>
        deadLettered ? Max(options.DeadLetters, options.Settled) : options.Settled;

    public static DateTimeOffset ExpiresAt(Settlement settlement, RetentionOptions options) =>
        settlement.At + Keep(settlement.DeadLettered, options);

    public static DateTimeOffset? ExpiresAt(ISettlingState state, RetentionOptions options) =>
        state.Settlement is { } settlement ? ExpiresAt(settlement, options) : null;

    /// <summary>True once a settled state is past its retention: its stored copy is gone, or going.</summary>
    public static bool HasExpired(ISettlingState state, RetentionOptions options, DateTimeOffset now) =>
        ExpiresAt(state, options) is { } expiresAt && expiresAt <= now;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
