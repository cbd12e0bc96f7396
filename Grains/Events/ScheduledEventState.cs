using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Retention;

namespace Eventd.Grains.Events;

/// <summary>The persisted state of one event (stored as JSON in Redis).</summary>
public sealed class ScheduledEventState : ISettlingState
{
    /// <summary>The grain state's name in storage (part of its Redis key).</summary>
    public const string Name = "event";

    /// <summary>A new event's state: scheduled for its first due time.</summary>
    public static ScheduledEventState Created(EventSpec spec, DateTimeOffset now) => new()
    {
        Spec = spec,
        CreatedAt = now,
        UpdatedAt = now,
        NextFireAt = spec.Schedule.FirstDueAt,
    };

    /// <summary>
    /// An event whose only fire its creator has made already (a synchronous Space Cloud queue): fired
    /// once to <paramref name="target"/> with <paramref name="result"/>, nothing left to schedule.
    /// </summary>
    public static ScheduledEventState Fired(EventSpec spec, DateTimeOffset now, string target, DeliveryResult result)
    {
        var state = Created(spec, now);
        state.NextFireAt = null;
        state.FireCount = 1;
        state.LastDelivery = result;
        state.TargetResults = spec.Targets is null ? null : new() { [target] = result };
        return state;
    }

    private DateTimeOffset? _updatedAt;

    public EventSpec? Spec { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the event last changed: its creation until it has.</summary>
    [JsonIgnore]
    public DateTimeOffset UpdatedAt { get => _updatedAt ?? CreatedAt; set => _updatedAt = value; }

    /// <summary>Stored only once it differs from the creation: most events are pending, unchanged since, and each keeps its state in Redis.</summary>
    [JsonInclude]
    [JsonPropertyName("updatedAt")]
    private DateTimeOffset? StoredUpdatedAt { get => _updatedAt == CreatedAt ? null : _updatedAt; set => _updatedAt = value; }

    /// <summary>When the next fire is due; null when no fire is left.</summary>
    public DateTimeOffset? NextFireAt { get; set; }

    /// <summary>Fires so far; fire number <c>FireCount + 1</c> is the next. The fire-once guard.</summary>
    public int FireCount { get; set; }

    /// <summary>The slot the last fire was due at: its place at an ordering or flow-control key.</summary>
    public DateTimeOffset? LastDueAt { get; set; }

    public bool Cancelled { get; set; }

    /// <summary>Held by a pause: no fire starts, slots that come due are skipped (see <c>DueSlots</c>).</summary>
    public bool Paused { get; set; }

    /// <summary>Slots not fired (<c>catchup: skip</c>, <c>overlap: skip</c>, a pause); never in <see cref="FireCount"/>.</summary>
    public int SkippedFires { get; set; }

    /// <summary>Catch-up fires made in a row under <c>catchup: all</c>; zero once the event has caught up.</summary>
    public int CatchingUp { get; set; }

    /// <summary>A slot waiting for the fire still delivering (<c>overlap: bufferOne</c>): it fires once that settles.</summary>
    public DateTimeOffset? BufferedSlot { get; set; }

    /// <summary>Fires handed to delivery whose outcome has not come back yet.</summary>
    public List<int> PendingDeliveries { get; set; } = [];

    /// <summary>
    /// While fires are pending, when the event hands them to delivery again: seconds after a hand-off
    /// failed, <c>HandOffRetry.Recheck</c> after one that worked (a report lost on the way back is recovered
    /// so). Part of the wake-up time, so the event's bucket wakes it for this if its activation is gone.
    /// </summary>
    public DateTimeOffset? HandOffAt { get; set; }

    /// <summary>Hand-offs failed in a row; the retry backoff grows with it (see <c>HandOffRetry</c>).</summary>
    public int HandOffFailures { get; set; }

    /// <summary>The fire's outcome: for a fan-out, a failed target's result if any failed.</summary>
    public DeliveryResult? LastDelivery { get; set; }

    /// <summary>A fan-out's last result per target (see <c>FanOutProgress</c>); null for an event with at most one webhook.</summary>
    public Dictionary<string, DeliveryResult>? TargetResults { get; set; }

    /// <summary>The time bucket holding the event's membership (see <c>BucketId</c>); kept while it is unsettled.</summary>
    public string? Bucket { get; set; }

    [JsonIgnore]
    public EventStatus Status =>
        Cancelled ? EventStatus.Cancelled
        : Paused && !IsSettled ? EventStatus.Paused
        : PendingDeliveries.Count > 0 ? EventStatus.Delivering
        : NextFireAt is not null ? EventStatus.Scheduled
        : LastDelivery is { Succeeded: false } ? EventStatus.Failed
        : EventStatus.Delivered;

    public EventView View(string id) => new()
    {
        Id = id,
        Spec = Spec!,
        Status = Status,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        NextFireAt = NextFireAt,
        FireCount = FireCount,
        LastDelivery = LastDelivery,
        TargetResults = TargetResults?.ToImmutableDictionary() ?? ImmutableDictionary<string, DeliveryResult>.Empty,
        SkippedFires = SkippedFires,
    };

    /// <summary>Nothing left to do: no fire to come and no delivery to wait for.</summary>
    [JsonIgnore]
    public bool IsSettled => NextFireAt is null && PendingDeliveries.Count == 0;

    /// <summary>
    /// Settled (delivered, failed or cancelled, nothing left to do) as of its last change: retention counts
    /// from there, a failed event's as long as its dead letter's.
    /// </summary>
    [JsonIgnore]
    public Settlement? Settlement => Spec is not null && IsSettled ? new(UpdatedAt, Status == EventStatus.Failed) : null;

    /// <summary>Nothing to wake for: settled, or paused with no delivery to wait for. Such an event needs no bucket.</summary>
    [JsonIgnore]
    public bool IsDormant => PendingDeliveries.Count == 0 && (NextFireAt is null || Paused);

    /// <summary>
    /// When the event next needs waking: its next fire (none while paused), or its next hand-off while
    /// fires are pending (a pending fire with no hand-off time, from an older state, needs one at once);
    /// null once dormant.
    /// </summary>
    public DateTimeOffset? WakeAt(DateTimeOffset now)
    {
        var fire = Paused ? null : NextFireAt;
        if (PendingDeliveries.Count == 0)
        {
            return fire;
        }

        var handOff = HandOffAt ?? now;
        return fire is { } due && due < handOff ? due : handOff;
    }

    /// <summary>Adds a pending fire; the fires pending already keep their hand-off time, a first one gets the recheck.</summary>
    public void AddPending(int seq, DateTimeOffset recheckAt)
    {
        PendingDeliveries.Add(seq);
        HandOffAt ??= recheckAt;
    }

    /// <summary>Removes a settled fire; false when it was not pending. With none left there is nothing to hand off.</summary>
    public bool RemovePending(int seq)
    {
        if (!PendingDeliveries.Remove(seq))
        {
            return false;
        }

        if (PendingDeliveries.Count == 0)
        {
            HandOffAt = null;
            HandOffFailures = 0;
        }

        return true;
    }
}
