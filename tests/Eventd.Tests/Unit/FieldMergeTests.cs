using Eventd.Grains.Events;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Options;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>How an update's fields combine with the stored event's, as the event grain merges them in its turn.</summary>
public class FieldMergeTests
{
    private static readonly DateTimeOffset Later = V1Bodies.Now.AddMinutes(30);

    private static EventSpec Stored(string json) => V1Bodies.Accepted(json);

    private static EventFields Update(string json) => V1Bodies.Fields(json).Fields!;

    private static (EventSpec? Spec, string? Error) Apply(EventSpec stored, string update) =>
        EventRules.ForUpdate(stored, Update(update), new DeliveryOptions(), Later);

    [Fact]
    public void An_update_keeps_every_field_it_does_not_give()
    {
        var stored = Stored("""{"url": "https://example.com/a", "method": "PUT", "headers": {"X-A": "1"}, "channel": "c", "data": {"n": 1}, "retries": 5, "timeout": 900, "delay": 60, "repeat": 3}""");

        var (spec, error) = Apply(stored, """{"channel": "d"}""");

        Assert.Null(error);
        Assert.Equal("d", spec!.Channel);
        Assert.Equal(stored.Schedule, spec.Schedule);
        Assert.Equal((stored.Webhook!.Url, "PUT", 5, 900, """{"n": 1}"""), (spec.Webhook!.Url, spec.Webhook.Method, spec.Webhook.Retries, spec.Webhook.TimeoutMs, spec.Data));
        Assert.Equal(stored.Webhook.Headers, spec.Webhook.Headers);
    }

    [Fact]
    public void An_update_without_a_new_time_keeps_the_first_due_time_fixed_at_create()
    {
        var stored = Stored("""{"channel": "c", "delay": 60}""");

        var (spec, _) = Apply(stored, """{"url": "https://example.com/b"}""");

        Assert.Equal(V1Bodies.Now.AddSeconds(60), spec!.Schedule.FirstDueAt);
        Assert.False(FieldMerge.Reschedules(Update("""{"url": "https://example.com/b", "repeat": 2}""")));
    }

    [Theory]
    [InlineData("""{"delay": 5}""")]
    [InlineData("""{"timestamp": 1893456000000}""")]
    [InlineData("""{"cron": "* * * * *"}""")]
    public void A_new_delay_timestamp_or_cron_reschedules_from_the_time_of_the_update(string update)
    {
        Assert.True(FieldMerge.Reschedules(Update(update)));
        Assert.True(Apply(Stored("""{"channel": "c", "delay": 3600}"""), update).Spec!.Schedule.FirstDueAt >= Later);
    }

    [Fact]
    public void A_cron_given_by_an_update_replaces_the_stored_delay_and_repeat()
    {
        var (spec, error) = Apply(Stored("""{"channel": "c", "delay": 60, "repeat": true}"""), """{"cron": "*/15 * * * *"}""");

        Assert.Null(error);
        Assert.Equal(("*/15 * * * *", 0d, RepeatMode.Once), (spec!.Schedule.Cron, spec.Schedule.DelaySeconds, spec.Schedule.Repeat));
    }

    [Fact]
    public void A_delay_or_repeat_given_by_an_update_replaces_a_stored_cron()
    {
        var (spec, error) = Apply(Stored("""{"channel": "c", "cron": "0 * * * *"}"""), """{"delay": 60, "repeat": true}""");

        Assert.Null(error);
        Assert.Equal((null, 60d, RepeatMode.Forever), (spec!.Schedule.Cron, spec.Schedule.DelaySeconds, spec.Schedule.Repeat));
    }

    [Fact]
    public void Data_given_as_null_clears_the_stored_data()
    {
        Assert.Null(Apply(Stored("""{"channel": "c", "data": {"n": 1}}"""), """{"payload": null}""").Spec!.Data);
    }

    [Fact]
    public void A_merge_that_breaks_a_create_rule_is_refused_naming_the_field()
    {
        var repeating = Stored("""{"channel": "c", "delay": 60, "repeat": true}""");

        Assert.Equal("cron: replaces delay and repeat; give one or the other", Apply(repeating, """{"cron": "*/5 * * * *", "repeat": true}""").Error);
        Assert.Equal("delay: must be >= 1 for a repeating event", Apply(Stored("""{"channel": "c"}"""), """{"repeat": true}""").Error);
        Assert.Equal("url: required when method or headers are given", Apply(Stored("""{"channel": "c"}"""), """{"method": "PUT"}""").Error);
    }

    [Fact]
    public void An_update_keeps_the_events_type()
    {
        var stored = Stored("""{"url": "https://example.com/a", "delay": 60}""") with { Type = "sent-email" };

        Assert.Equal("sent-email", Apply(stored, """{"delay": 5}""").Spec!.Type);
    }

    [Fact]
    public void A_queued_events_update_moves_its_schedule_and_data_and_keeps_its_triggers()
    {
        var stored = QueuedEvent();

        var (spec, error) = Apply(stored, """{"delay": 5, "data": {"n": 2}}""");

        Assert.Null(error);
        Assert.Equal((stored.Targets, stored.Type, (WebhookTarget?)null), (spec!.Targets, spec.Type, spec.Webhook));
        Assert.Equal((Later.AddSeconds(5), """{"n": 2}"""), (spec.Schedule.FirstDueAt, spec.Data));
    }

    [Theory]
    [InlineData("""{"url": "https://example.com/b"}""", "url:")]
    [InlineData("""{"delay": 5, "channel": "c"}""", "channel:")]
    [InlineData("""{"retries": 1}""", "retries:")]
    public void A_queued_event_cannot_be_given_another_target(string update, string field) =>
        Assert.StartsWith(field, Apply(QueuedEvent(), update).Error);

    [Fact]
    public void A_new_time_zone_alone_moves_the_next_slot_of_the_cron()
    {
        var stored = Stored("""{"cron": "0 * * * *", "channel": "c"}""");

        var (spec, error) = Apply(stored, """{"timezone": "Asia/Kolkata"}""");

        Assert.Null(error);
        Assert.Equal(("Asia/Kolkata", 30), (spec!.Schedule.TimeZone, spec.Schedule.FirstDueAt.UtcDateTime.Minute));
    }

    [Fact]
    public void A_delay_replacing_a_zoned_cron_drops_its_time_zone_and_one_given_beside_it_is_refused()
    {
        var stored = Stored("""{"cron": "0 9 * * *", "timezone": "Europe/Berlin", "channel": "c"}""");

        var (spec, error) = Apply(stored, """{"delay": 100}""");

        Assert.Null(error);
        Assert.Equal(((string?)null, (string?)null, Later.AddSeconds(100)), (spec!.Schedule.Cron, spec.Schedule.TimeZone, spec.Schedule.FirstDueAt));
        Assert.Equal("timezone: applies to cron only", Apply(stored, """{"delay": 100, "timezone": "Europe/Paris"}""").Error);
    }

    private static EventSpec QueuedEvent() => new()
    {
        Project = "p",
        Type = "sent-email",
        Schedule = new ScheduleSpec { FirstDueAt = V1Bodies.Now },
        Targets = [new NamedWebhook("mailer", new WebhookTarget { Url = "https://example.com/mail" })],
        Data = """{"n": 1}""",
    };
}
