using System.Text;
using System.Text.Json;
using Eventd.Grains.Delivery;
using Eventd.Grains.Events;
using Eventd.Grains.Interfaces;
using Eventd.Silo.Hosting;

namespace Eventd.Tests.Unit;

/// <summary>
/// The stored JSON of grain states (<see cref="JsonGrainStorageSerializer"/>): values a new object starts
/// with are left out and come back on reading, other values (even a type's default where the initializer
/// differs) are kept, and a state stored whole before reads the same.
/// </summary>
public sealed class StoredStateJsonTests
{
    private static readonly JsonGrainStorageSerializer Serializer = new();

    // A pending event as it was stored before states were compact (every field written, quotes escaped).
    private const string StoredWhole = """
        {"spec":{"project":"default","schedule":{"delaySeconds":0,"timestamp":"2026-12-09T19:02:33+00:00","repeat":"once","times":1,"firstDueAt":"2026-12-09T19:02:33+00:00","catchup":"one","overlap":"allow"},"webhook":{"url":"http://127.0.0.1:5555/pending/12345","method":"POST","headers":{},"retries":3,"timeoutMs":5000},"data":"{\u0022n\u0022:12345}","traceParent":"00-8857b83acd99594e069a4e738ef0e693-c57a505e5bcd4844-02"},"createdAt":"2026-12-06T19:02:33.971221+00:00","updatedAt":"2026-12-06T19:02:33.971221+00:00","nextFireAt":"2026-12-09T19:02:33+00:00","fireCount":0,"cancelled":false,"paused":false,"skippedFires":0,"catchingUp":0,"pendingDeliveries":[],"handOffFailures":0,"bucket":"14:29947382"}
        """;

    [Fact]
    public void A_state_stored_whole_reads_the_same_as_its_compact_form_and_the_compact_form_leaves_starting_values_out()
    {
        var whole = Read<ScheduledEventState>(StoredWhole);

        var compact = Write(whole);
        var again = Read<ScheduledEventState>(compact);

        Assert.Equal(Json(whole.View("id")), Json(again.View("id")));
        Assert.Equal((whole.Bucket, whole.IsSettled, whole.Status), (again.Bucket, again.IsSettled, again.Status));
        foreach (var leftOut in new[] { "\"retries\"", "\"method\"", "\"headers\"", "\"cancelled\"", "\"fireCount\"", "\"pendingDeliveries\"", "\"times\"", "\"updatedAt\"", "+00:00", "\\u0022" })
        {
            Assert.DoesNotContain(leftOut, compact, StringComparison.Ordinal);
        }

        Assert.Contains("\"data\":\"{\\\"n\\\":12345}\"", compact, StringComparison.Ordinal);
        Assert.Contains("\"createdAt\":\"2026-12-06T19:02:33.971221Z\"", compact, StringComparison.Ordinal);
        Assert.True(compact.Length < StoredWhole.Length * 2 / 3, $"{compact.Length} of {StoredWhole.Length}: {compact}");
    }

    [Fact]
    public void A_type_default_that_is_not_the_starting_value_is_kept()
    {
        var whole = Read<ScheduledEventState>(StoredWhole);
        whole.Spec = whole.Spec! with { Webhook = whole.Spec.Webhook! with { Retries = 0, TimeoutMs = 0 } };
        whole.PendingDeliveries = [2];
        whole.Paused = true;

        var again = Read<ScheduledEventState>(Write(whole));

        Assert.Equal((0, 0), (again.Spec!.Webhook!.Retries, again.Spec.Webhook.TimeoutMs));
        Assert.Equal([2], again.PendingDeliveries);
        Assert.True(again.Paused);
    }

    [Fact]
    public void An_update_time_is_stored_once_it_differs_from_the_creation_and_an_offset_is_kept()
    {
        var state = Read<ScheduledEventState>(StoredWhole);
        var updated = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(2));
        state.UpdatedAt = updated;
        state.LastDueAt = updated;

        var json = Write(state);
        var again = Read<ScheduledEventState>(json);

        Assert.Contains("\"updatedAt\":\"2026-12-07T09:00:00+02:00\"", json, StringComparison.Ordinal);
        Assert.Equal((updated, updated.Offset), (again.UpdatedAt, again.UpdatedAt.Offset));
        Assert.Equal(state.CreatedAt, again.CreatedAt);
        Assert.Equal(again.CreatedAt, Read<ScheduledEventState>(Write(new ScheduledEventState { CreatedAt = again.CreatedAt })).UpdatedAt);
    }

    [Fact]
    public void A_first_due_time_that_is_the_timestamp_is_stored_once()
    {
        var state = Read<ScheduledEventState>(StoredWhole);

        var json = Write(state);
        var again = Read<ScheduledEventState>(json);

        Assert.DoesNotContain("firstDueAt", json, StringComparison.Ordinal);
        Assert.Contains("\"timestamp\":\"2026-12-09T19:02:33Z\"", json, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 12, 9, 19, 2, 33, TimeSpan.Zero), again.Spec!.Schedule.FirstDueAt);
        Assert.Equal(state.Spec, again.Spec);
    }

    [Theory]
    [InlineData(30, null)] // the timestamp plus a delay
    [InlineData(0, "0 9 * * *")] // a cron's first slot after the timestamp
    public void A_first_due_time_that_is_not_the_timestamp_is_stored(double delaySeconds, string? cron)
    {
        var state = Read<ScheduledEventState>(StoredWhole);
        var schedule = state.Spec!.Schedule;
        state.Spec = state.Spec with { Schedule = schedule with { DelaySeconds = delaySeconds, Cron = cron, FirstDueAt = schedule.Timestamp!.Value.AddSeconds(delaySeconds == 0 ? 3600 : delaySeconds) } };

        var json = Write(state);
        var again = Read<ScheduledEventState>(json);

        Assert.Contains("firstDueAt", json, StringComparison.Ordinal);
        Assert.Equal(state.Spec.Schedule.FirstDueAt, again.Spec!.Schedule.FirstDueAt);
        Assert.Equal(state.Spec, again.Spec);
    }

    [Fact]
    public void A_computed_property_is_not_stored()
    {
        var state = new WebhookDeliveryState { Attempts = [new DeliveryAttempt { Seq = 1, Attempt = 1, StatusCode = 200 }] };

        var json = Write(state);

        Assert.DoesNotContain("succeeded", json, StringComparison.Ordinal);
        Assert.True(Assert.Single(Read<WebhookDeliveryState>(json).Attempts).Succeeded);
    }

    private static T Read<T>(string json) => Serializer.Deserialize<T>(BinaryData.FromString(json))!;

    private static string Write<T>(T state) => Encoding.UTF8.GetString(Serializer.Serialize(state).ToArray());

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
