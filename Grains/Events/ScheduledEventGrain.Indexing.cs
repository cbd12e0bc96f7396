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
            var expiresAt = ExpiresAt;
            await statusIndex.SetAsync(S.Spec.Project, Id, S.Status, IndexedStatus.Unknown, S.CreatedAt, expiresAt);
            _indexed = IndexedStatus.In(S.Status);
            _indexedExpiry = expiresAt;
        }
    }

    /// <summary>
    /// Writes the status index a commit deferred (a fire whose attempt this turn makes), now that the
    /// delivery outlasts the attempt's grace or goes on in its grain. A failure leaves the index to the
    /// next transition, which rewrites every status set.
    /// </summary>
    private async Task CatchUpIndexAsync()
    {
        var status = S.Status;
        var expiresAt = ExpiresAt;
        if (_indexed == IndexedStatus.In(status) && _indexedExpiry == expiresAt)
        {
            return;
        }

        try
        {
            await statusIndex.SetAsync(S.Spec!.Project, Id, status, _indexed, S.CreatedAt, expiresAt);
            _indexed = IndexedStatus.In(status);
            _indexedExpiry = expiresAt;
        }
        catch (Exception ex)
        {
            _indexed = IndexedStatus.Unknown;
            LogIndexBehind(logger, ex, Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} could not update its status index; its next transition rewrites it")]
    private static partial void LogIndexBehind(ILogger logger, Exception exception, string eventId);
}
