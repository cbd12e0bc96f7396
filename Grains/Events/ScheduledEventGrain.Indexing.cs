using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace Eventd.Grains.Events;

/// <summary>
/// The event's entries in the status index (<see cref="EventStatusIndex"/>) beyond what a commit writes
/// with the state: a rebuild on request, and the catching up after a commit that deferred it.
/// </summary>
public sealed partial class ScheduledEventGrain
{
    public async Task Reindex()
    {
        await ForgetIfExpiredAsync();
        if (S.Spec is not null)
        {
            var entry = IndexEntryNow();
            await WriteIndexAsync(entry, IndexedStatus.Unknown);
            Indexed(entry);
        }
    }

    /// <summary>
    /// Writes the status index a commit deferred (a fire whose attempt this turn makes), now that the
    /// delivery outlasts the attempt's grace or goes on in its grain. A failure leaves the index to the
    /// next transition, which rewrites every status set.
    /// </summary>
    private async Task CatchUpIndexAsync()
    {
        var entry = IndexEntryNow();
        if (IsIndexed(entry))
        {
            return;
        }

        try
        {
            await WriteIndexAsync(entry, _indexed);
            Indexed(entry);
        }
        catch (Exception ex)
        {
            _indexed = IndexedStatus.Unknown;
            LogIndexBehind(logger, ex, Id);
        }
    }

    /// <summary>The entry the state calls for: its status, and when its entries are due for clean-up (settled) or never.</summary>
    private IndexEntry IndexEntryNow() => new(S.Status, ExpiresAt);

    /// <summary>Whether the index holds <paramref name="entry"/>, as far as this activation knows.</summary>
    private bool IsIndexed(IndexEntry entry) => _indexed == IndexedStatus.In(entry.Status) && _indexedExpiry == entry.ExpiresAt;

    /// <summary>Moves the event's entries to <paramref name="entry"/> from where they are (<paramref name="from"/>).</summary>
    private Task WriteIndexAsync(IndexEntry entry, IndexedStatus from) =>
        statusIndex.SetAsync(S.Spec!.Project, Id, entry.Status, from, S.CreatedAt, entry.ExpiresAt);

    private void Indexed(IndexEntry entry)
    {
        _indexed = IndexedStatus.In(entry.Status);
        _indexedExpiry = entry.ExpiresAt;
    }

    private readonly record struct IndexEntry(EventStatus Status, DateTimeOffset? ExpiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} could not update its status index; its next transition rewrites it")]
    private static partial void LogIndexBehind(ILogger logger, Exception exception, string eventId);
}
