using Eventd.Grains.Delivery;
using Eventd.Grains.Events;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Options;
using Eventd.Grains.Retention;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Eventd.Tests.Unit;

/// <summary>API.md "Retention": when what has settled expires, and which states have settled.</summary>
public class RetentionRuleTests
{
    private static readonly RetentionOptions Options = new() { Settled = TimeSpan.FromMinutes(1), DeadLetters = TimeSpan.FromMinutes(5) };
    private static readonly DateTimeOffset At = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_settled_state_expires_the_settled_retention_after_it_settled()
    {
        Assert.Equal(At.AddMinutes(1), RetentionRule.ExpiresAt(new Settlement(At, DeadLettered: false), Options));
    }

    [Fact]
    public void A_dead_letter_expires_the_dead_letter_retention_after_it_failed()
    {
        Assert.Equal(At.AddMinutes(5), RetentionRule.ExpiresAt(new Settlement(At, DeadLettered: true), Options));
    }

    [Fact]
    public void A_dead_letter_is_never_kept_shorter_than_a_settled_event()
    {
        var shortDeadLetters = new RetentionOptions { Settled = TimeSpan.FromMinutes(10), DeadLetters = TimeSpan.FromMinutes(1) };

        Assert.Equal(At.AddMinutes(10), RetentionRule.ExpiresAt(new Settlement(At, DeadLettered: true), shortDeadLetters));
    }

    [Fact]
    public void An_event_expires_only_once_its_retention_has_passed_on_the_clock()
    {
        var time = new FakeTimeProvider(At);
        var delivered = Delivered(At);

        Assert.False(RetentionRule.HasExpired(delivered, Options, time.GetUtcNow()));
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(RetentionRule.HasExpired(delivered, Options, time.GetUtcNow()));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(RetentionRule.HasExpired(delivered, Options, time.GetUtcNow()));
    }

    [Fact]
    public void An_event_settles_as_of_its_last_change_and_a_failed_one_as_a_dead_letter()
    {
        var delivered = Delivered(At);
        var failed = Delivered(At);
        failed.LastDelivery = failed.LastDelivery! with { Succeeded = false };

        Assert.Equal(new Settlement(At, DeadLettered: false), delivered.Settlement);
        Assert.Equal(new Settlement(At, DeadLettered: true), failed.Settlement);
    }

    [Fact]
    public void A_scheduled_delivering_or_redelivered_event_has_not_settled()
    {
        var scheduled = ScheduledEventState.Created(Events(), At);
        var redelivered = Delivered(At);
        redelivered.AddPending(1, At.AddSeconds(30));

        Assert.Null(scheduled.Settlement);
        Assert.Null(redelivered.Settlement);
        Assert.Null(RetentionRule.ExpiresAt(redelivered, Options));
        Assert.False(RetentionRule.HasExpired(redelivered, Options, At.AddYears(1)));
    }

    [Fact]
    public void A_cancelled_event_settles_once_no_delivery_is_pending()
    {
        var cancelled = ScheduledEventState.Created(Events(), At);
        cancelled.Cancelled = true;
        cancelled.NextFireAt = null;

        Assert.Equal(new Settlement(At, DeadLettered: false), cancelled.Settlement);
    }

    [Fact]
    public void A_delivery_settles_with_its_result_and_a_redelivery_unsettles_it()
    {
        var delivery = new WebhookDeliveryState { Result = new DeliveryResult { Seq = 1, Succeeded = false, At = At } };

        Assert.Equal(new Settlement(At, DeadLettered: true), delivery.Settlement);
        delivery.Result = null;
        Assert.Null(delivery.Settlement);
    }

    [Theory]
    [InlineData("Settled", "00:00:00")]
    [InlineData("DeadLetters", "-00:00:01")]
    [InlineData("SweepEvery", "00:00:00.050")]
    public void A_retention_out_of_range_stops_the_start_naming_its_key(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"Eventd:Retention:{key}"] = value }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations();

        var error = Assert.Throws<OptionsValidationException>(() => services.BuildServiceProvider().GetRequiredService<IOptions<RetentionOptions>>().Value);
        Assert.Contains($"Eventd:Retention:{key}", error.Message);
    }

    [Fact]
    public void The_defaults_keep_settled_events_a_week_and_dead_letters_thirty_days()
    {
        var defaults = new RetentionOptions();

        Assert.Equal((TimeSpan.FromDays(7), TimeSpan.FromDays(30)), (defaults.Settled, defaults.DeadLetters));
    }

    private static EventSpec Events() => new() { Project = "default", Schedule = new ScheduleSpec { FirstDueAt = At }, Webhook = new WebhookTarget { Url = "https://example.com/hook" } };

    private static ScheduledEventState Delivered(DateTimeOffset at) =>
        ScheduledEventState.Fired(Events(), at, DeliveryKeys.Webhook, new DeliveryResult { Seq = 1, Succeeded = true, At = at });
}
