using Eventd.Grains.Buckets;
using Microsoft.Extensions.Logging;

namespace Eventd.Grains.Events;

/// <summary>
/// Keeps an event's membership in the time bucket that wakes it in step with its state: the one
/// way an event's state is written. The membership the event's wake-up time needs comes first and
/// the one it no longer needs goes last, so whatever a crash interrupts, an event that needs waking is
/// always in a bucket that will wake it; at worst a stale member is left, which its bucket drops
/// when it wakes the event for it.
/// </summary>
public sealed partial class EventMembership(BucketPlacement placement, BucketStore buckets, ILogger<EventMembership> logger)
{
    /// <summary>
    /// Places the event for <paramref name="placeFor"/> (when given) alongside <paramref name="alongside"/>,
    /// then writes the state and leaves the bucket it no longer names (all of them once dormant: settled, or paused with nothing delivering).
    /// Throws when the placement or the write failed: the caller's memory is then ahead of storage.
    /// </summary>
    public async Task CommitAsync(string eventId, IPersistentState<ScheduledEventState> state, DateTimeOffset? placeFor, Task? alongside = null)
    {
        var placing = placeFor is { } wakeAt ? PlaceAsync(eventId, state.State, wakeAt) : Task.FromResult<BucketId?>(null);
        await Task.WhenAll(placing, alongside ?? Task.CompletedTask);
        await WriteThenLeaveAsync(eventId, state, placing.Result);
    }

    /// <summary>
    /// Moves the membership's score to a new wake-up time; only when it has to change bucket is the
    /// state (which names the bucket) written again.
    /// </summary>
    public async Task RefreshAsync(string eventId, IPersistentState<ScheduledEventState> state, DateTimeOffset wakeAt)
    {
        if (await PlaceAsync(eventId, state.State, wakeAt) is { } left)
        {
            await WriteThenLeaveAsync(eventId, state, left);
        }
    }

    /// <summary>Drops a member that does not name the event's own bucket (left behind by a crash or a move).</summary>
    public Task DropAsync(BucketId bucket, string eventId) => buckets.RemoveAsync(bucket, eventId);

    /// <summary>Places the event for <paramref name="wakeAt"/>; returns the bucket it moves out of, if any.</summary>
    private async Task<BucketId?> PlaceAsync(string eventId, ScheduledEventState state, DateTimeOffset wakeAt)
    {
        var (bucket, left) = await placement.PlaceAsync(eventId, state.Bucket, wakeAt);
        state.Bucket = bucket.ToString();
        return left;
    }

    private async Task WriteThenLeaveAsync(string eventId, IPersistentState<ScheduledEventState> state, BucketId? left)
    {
        await state.WriteStateAsync();
        if (state.State.IsDormant && BucketId.TryParse(state.State.Bucket, out var own))
        {
            left = own;
        }

        if (left is { } leaving)
        {
            await LeaveAsync(eventId, leaving);
        }
    }

    /// <summary>
    /// Drops a membership the event no longer needs. Only clean-up once the state is written: if it
    /// fails, the member stays behind and the event drops it when that bucket wakes it.
    /// </summary>
    private async Task LeaveAsync(string eventId, BucketId bucket)
    {
        try
        {
            await buckets.RemoveAsync(bucket, eventId);
        }
        catch (Exception ex)
        {
            LogLeaveFailed(logger, ex, eventId, bucket);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} could not leave bucket {Bucket}; the bucket drops it when it wakes the event")]
    private static partial void LogLeaveFailed(ILogger logger, Exception exception, string eventId, BucketId bucket);
}
