using Microsoft.Extensions.DependencyInjection;
using Eventd.Grains.Interfaces;
using Orleans.Concurrency;
using StackExchange.Redis;

namespace Eventd.Grains.EventLog;

/// <summary>
/// Answers <c>/query</c> from a scope's indexes: the candidates (by name, or every event) combined with the
/// events with (or without) a transaction of the txKey in the state asked, in one MULTI in the scope's slot,
/// then the page's rows read from their grains (a page is at most 100). A row is re-checked against the query,
/// so an index entry a crash left behind, or an event expired meanwhile, is dropped from the page.
/// </summary>
[StatelessWorker]
[Reentrant] // Reads only: a silo's workers serve many queries at once.
public sealed class EventLogQueryGrain(EventLogIndex index, [FromKeyedServices(GrainClocks.EventLog)] TimeProvider time) : Grain, IEventLogQueryGrain
{
    private long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<EventLogPage> Query(EventLogQuery query)
    {
        var keys = index.Keys(query.Project, query.Environment);
        var now = NowMs;
        var oldestKept = Math.Max(query.SinceMs ?? 0, index.OldestKept(now));
        RedisKey candidates = query.Name is { } name ? keys.ByName(name) : keys.ByTime;
        var read = index.Db.CreateTransaction();
        var steps = new List<Task> { index.Trim(read, candidates, now) };
        RedisKey? combined = null;
        if (query.TxKey is { } txKey)
        {
            RedisKey withTransaction = keys.Transactions(txKey, query.TxState is null or EventStates.DoesNotExist ? EventLogIndexKeys.AnyState : query.TxState);
            steps.Add(index.Trim(read, withTransaction, now));
            combined = keys.Temporary();
            steps.Add(query.TxState == EventStates.DoesNotExist
                ? read.SortedSetCombineAndStoreAsync(SetOperation.Difference, combined.Value, [candidates, withTransaction])
                : read.SortedSetCombineAndStoreAsync(SetOperation.Intersect, combined.Value, [candidates, withTransaction], [1, 0]));
        }

        var source = combined ?? candidates;
        var total = read.SortedSetLengthAsync(source, oldestKept, double.PositiveInfinity);
        var page = read.SortedSetRangeByScoreAsync(
            source, oldestKept, double.PositiveInfinity, Exclude.None, Order.Descending, (long)(query.Page - 1) * query.PageSize, query.PageSize);
        steps.AddRange([total, page]);
        if (combined is { } temporary)
        {
            steps.Add(read.KeyDeleteAsync(temporary));
        }

        await read.ExecuteAsync();
        await Task.WhenAll(steps);
        var rows = await Task.WhenAll((await page).Select(key =>
            GrainFactory.GetGrain<ILoggedEventGrain>(LoggedEventKey.Of(query.Project, query.Environment, key.ToString())).Get()));
        return new EventLogPage([.. rows.OfType<LoggedEventRow>().Where(row => Keeps(query, row, oldestKept))], await total);
    }

    private static bool Keeps(EventLogQuery query, LoggedEventRow row, long oldestKept) =>
        row.Event.CreatedAt >= oldestKept
        && (query.Name is null || row.Event.EventName == query.Name)
        && (query.TxKey is not { } txKey || query.TxState switch
        {
            null => row.TransactionStates.ContainsKey(txKey),
            EventStates.DoesNotExist => !row.TransactionStates.ContainsKey(txKey),
            var state => row.TransactionStates.GetValueOrDefault(txKey) == state,
        });
}
