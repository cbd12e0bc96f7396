using Eventd.Grains.Indexes;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Eventd.Grains.Delivery;

/// <summary>
/// Bulk redrive (API.md "Bulk redrive"): selects dead letters from the index the delivery grains write
/// (see <see cref="DeadLetterIndex"/>) by failure time with a range read of its sorted sets, keeps those
/// whose url starts with the prefix, the newest <see cref="DeadLetterSelection.Limit"/> of them, and asks
/// each one's event to redeliver, as <c>POST /eventd/v1/events/{id}/redeliver</c> does. An event listed
/// for several fires is asked once: a redelivery sends its last fire.
/// </summary>
[StatelessWorker]
[Reentrant] // Waits on Redis and on events; one worker serves other redrives meanwhile.
public sealed class DeadLetterRedriveGrain(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster) : Grain, IDeadLetterRedriveGrain
{
    private const int ReadPage = 500;

    /// <summary>Redeliveries asked at once: enough to redrive thousands quickly, few enough not to flood the silo.</summary>
    private const int AskedAtOnce = 32;

    public async Task<int> Redeliver(string project, DeadLetterSelection selection)
    {
        var db = redis.GetDatabase();
        var found = await Task.WhenAll(DeadLetterKeys.Listing(cluster.Value.ServiceId, project).Select(keys => SelectAsync(db, keys, selection)));
        var ids = found.SelectMany(letters => letters)
            .OrderByDescending(letter => letter.FailedAt)
            .Take(selection.Limit)
            .Select(letter => letter.Id)
            .Distinct()
            .ToList();

        var started = 0;
        foreach (var chunk in ids.Chunk(AskedAtOnce))
        {
            var outcomes = await Task.WhenAll(chunk.Select(id => GrainFactory.GetGrain<IScheduledEventGrain>(id).Redeliver()));
            started += outcomes.Count(outcome => outcome == RedeliverOutcome.Redelivering);
        }

        return started;
    }

    /// <summary>The newest (at most <see cref="DeadLetterSelection.Limit"/>) dead letters of one index the selection keeps.</summary>
    private static async Task<List<DeadLetter>> SelectAsync(IDatabase db, DeadLetterKeys keys, DeadLetterSelection selection)
    {
        var min = selection.Since is { } since ? since.ToUnixTimeMilliseconds() : double.NegativeInfinity;
        var max = selection.Until is { } until ? until.ToUnixTimeMilliseconds() : double.PositiveInfinity;
        var kept = new List<DeadLetter>();
        for (var skip = 0L; kept.Count < selection.Limit; skip += ReadPage)
        {
            var members = await db.SortedSetRangeByScoreAsync(keys.ByTime, min, max, Exclude.None, Order.Descending, skip, ReadPage);
            if (members.Length == 0)
            {
                break;
            }

            var entries = await db.HashGetAsync(keys.Entries, members);
            kept.AddRange(entries
                .Where(entry => entry.HasValue)
                .Select(DeadLetterIndex.Decode)
                .Where(letter => selection.UrlPrefix is not { } prefix || letter.Url.StartsWith(prefix, StringComparison.Ordinal)));
            if (members.Length < ReadPage)
            {
                break;
            }
        }

        return kept;
    }
}
