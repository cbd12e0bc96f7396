using Eventd.Gateway.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Eventd.Gateway.EventLog;

/// <summary>
/// The event log in Redis (layout: <see cref="EventLogKeys"/>), written before each request is answered.
/// An emit is one MULTI (the event and its index entries); a transaction change is one script that stores
/// the transaction only if it is still as read, with its index entries (<see cref="TransactionWrite"/>), so
/// two racing inits of one transaction open it once while consumers of other transactions never wait.
/// Retention: each event hash expires at its <c>ttl</c>; each write and query trims the sorted sets it
/// touches of events older than the retention, and each write pushes their expiry to now + retention.
/// </summary>
public sealed class EventLogStore(IConnectionMultiplexer redis, ClusterIdentity identity, IOptions<EventLogOptions> options, TimeProvider time)
{
    // Past this many lost races on one transaction, the caller hears 409 and tries again later.
    private const int MaxAttempts = 16;

    private IDatabase Db => redis.GetDatabase();

    private long RetentionMs => (long)options.Value.Retention.TotalMilliseconds;

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private EventLogKeys Keys(EventLogScope scope) => new(identity.ServiceId, scope);

    /// <summary>
    /// Records the event <paramref name="key"/> unless it is already recorded: emitted again under the same key
    /// (a re-run under its <c>Idempotency-Key</c>) it answers the row stored first and writes nothing.
    /// </summary>
    public async Task<EventRow> EmitAsync(EventLogScope scope, string key, EmitRequest request, IReadOnlyDictionary<string, string> query, IReadOnlyDictionary<string, string> headers)
    {
        var now = Now;
        var loggedEvent = new LoggedEvent(
            EventLogIds.NewObjectId(now),
            key,
            request.EventName,
            scope.Environment,
            request.Payload,
            query,
            headers,
            now,
            now + RetentionMs,
            new Ownership(scope.Project, scope.By, null));
        var keys = Keys(scope);
        var eventKey = keys.Event(loggedEvent.Key);

        // Stored before the event's MULTI starts: an owner record without its event reads as an unknown key (404),
        // an event without one as its own scope's, so the admin key or another scope's key would miss it. On a
        // Redis Cluster the owner record lives in another slot, on another node, so only waiting for it keeps that order.
        await Db.StringSetAsync(EventLogKeys.Owner(identity.ServiceId, loggedEvent.Key), EventLogKeys.OwnerValue(scope), TimeSpan.FromMilliseconds(RetentionMs));
        var write = Db.CreateTransaction();
        write.AddCondition(Condition.HashNotExists(eventKey, StoredEvent.EventField));
        var steps = new List<Task>
        {
            write.HashSetAsync(eventKey, StoredEvent.EventField, StoredEvent.Serialize(loggedEvent)),
            write.KeyExpireAsync(eventKey, At(loggedEvent.Ttl)),
        };
        Index(write, steps, keys.ByTime, loggedEvent.Key, now);
        Index(write, steps, keys.ByName(loggedEvent.EventName), loggedEvent.Key, now);
        var written = await write.ExecuteAsync();
        if (!written)
        {
            // Recorded by an earlier run of this emit: its row, as stored, with whatever transactions it has now.
            return StoredEvent.Read(await Db.HashGetAllAsync(eventKey))?.ToRow()
                ?? throw new InvalidOperationException($"Event-log event {key} was recorded but could not be read back");
        }

        await Task.WhenAll(steps);
        return new StoredEvent(loggedEvent, new Dictionary<string, LoggedTransaction>()).ToRow();
    }

    /// <summary>The project and environment the event <paramref name="key"/> was emitted in; null when no such event is known.</summary>
    public async Task<(string Project, string Environment)?> OwnerAsync(string key)
    {
        if (!EventLogIds.IsKey(key))
        {
            return null;
        }

        var owner = await Db.StringGetAsync(EventLogKeys.Owner(identity.ServiceId, key));
        return owner.IsNull ? null : EventLogKeys.ParseOwner(owner.ToString());
    }

    /// <summary>Opens <paramref name="request"/>'s transaction in <c>processing</c>, or answers the one already open.</summary>
    public async Task<EventLogResult<LoggedTransaction>> InitAsync(EventLogScope scope, InitRequest request) =>
        (await ChangeTransactionAsync(scope, request.Key, request.TxKey, (stored, existing, now) => existing is null
            ? Change.To(LoggedTransaction.Open(stored.Event, request.TxKey, EventStates.Processing, now, scope.By))
            : Change.None))
        .Map(stored => stored.Transactions[request.TxKey]);

    /// <summary>Closes an opened transaction; closing it again moves it again (a new state, output and end, one more history entry).</summary>
    public async Task<EventLogResult<LoggedTransaction>> TransactAsync(EventLogScope scope, TransactRequest request) =>
        (await ChangeTransactionAsync(scope, request.Key, request.TxKey, (_, existing, now) => existing is null
            ? Change.Refuse(StatusCodes.Status404NotFound, $"txKey: no transaction {request.TxKey} on event {request.Key}")
            : Change.To(existing.MoveTo(request.State, now, scope.By) with { Output = request.Output })))
        .Map(stored => stored.Transactions[request.TxKey]);

    /// <summary>Sets a transaction's state, opening it in that state when absent (the same state again changes nothing), and answers the event's row.</summary>
    public async Task<EventLogResult<EventRow>> UpdateAsync(EventLogScope scope, UpdateRequest request)
    {
        var changed = await ChangeTransactionAsync(scope, request.Key, request.TxKey, (stored, existing, now) =>
            request.EventName is { } name && name != stored.Event.EventName
                ? Change.Refuse(StatusCodes.Status400BadRequest, $"eventName: event {request.Key} is named '{stored.Event.EventName}', not '{name}'")
            : existing is null ? Change.To(LoggedTransaction.Open(stored.Event, request.TxKey, request.TxState, now, scope.By))
            : existing.State == request.TxState ? Change.None
            : Change.To(existing.MoveTo(request.TxState, now, scope.By)));
        if (changed.Value is not { } written)
        {
            return changed.Map(stored => stored.ToRow());
        }

        // Read again: the row shows the other transactions as they are now, changed meanwhile or not.
        var current = StoredEvent.Read(await Db.HashGetAllAsync(Keys(scope).Event(request.Key))) ?? written;
        return EventLogResult.Ok(current.ToRow());
    }

    /// <summary>One page of the events <paramref name="query"/> keeps, newest first, and how many it keeps.</summary>
    public async Task<(IReadOnlyList<EventRow> Rows, long Total)> QueryAsync(EventLogScope scope, EventQuery query)
    {
        var keys = Keys(scope);
        var now = Now;
        var oldestKept = Math.Max(query.Since?.ToUnixTimeMilliseconds() ?? 0, OldestKept(now));
        var candidates = query.Name is { } name ? keys.ByName(name) : keys.ByTime;
        var read = Db.CreateTransaction();
        var steps = new List<Task> { Trim(read, candidates, now) };
        RedisKey? combined = null;
        if (query.TxKey is { } txKey)
        {
            // The events with (or without) a transaction of txKey in the state asked, combined into a set that lives only inside this MULTI.
            var withTransaction = keys.Transactions(txKey, query.TxState is null or EventStates.DoesNotExist ? EventLogKeys.AnyState : query.TxState);
            steps.Add(Trim(read, withTransaction, now));
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

        await CommitAsync(read, steps);
        var events = await Task.WhenAll((await page).Select(key => Db.HashGetAllAsync(keys.Event(key.ToString()))));

        // An event that expired between the index read and its own read is left out.
        return (events.Select(StoredEvent.Read).OfType<StoredEvent>().Select(e => e.ToRow()).ToList(), await total);
    }

    /// <summary>
    /// Reads the event, asks <paramref name="decide"/> what becomes of its transaction for <paramref name="txKey"/>,
    /// and stores that only if the transaction is still as read (<see cref="TransactionWrite"/>); otherwise reads again.
    /// </summary>
    private async Task<EventLogResult<StoredEvent>> ChangeTransactionAsync(
        EventLogScope scope, string key, string txKey, Func<StoredEvent, LoggedTransaction?, long, Change> decide)
    {
        var keys = Keys(scope);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var fields = EventLogIds.IsKey(key) ? await Db.HashGetAllAsync(keys.Event(key)) : [];
            if (StoredEvent.Read(fields) is not { } stored)
            {
                return NoEvent(key);
            }

            var now = Now;
            var existing = stored.Transactions.GetValueOrDefault(txKey);
            var change = decide(stored, existing, now);
            if (change.Error is { } error)
            {
                return EventLogResult.Fail<StoredEvent>(change.Status, error);
            }

            if (change.Transaction is not { } next)
            {
                return EventLogResult.Ok(stored);
            }

            var existingJson = fields.FirstOrDefault(f => f.Name == StoredEvent.TransactionField(txKey)).Value;
            switch (await TransactionWrite.RunAsync(Db, keys, stored.Event, existing, existingJson, next, OldestKept(now), now + RetentionMs))
            {
                case TransactionWrite.Outcome.Written:
                    return EventLogResult.Ok(stored.With(next));
                case TransactionWrite.Outcome.EventGone:
                    return NoEvent(key);
            }
        }

        return EventLogResult.Fail<StoredEvent>(StatusCodes.Status409Conflict, $"txKey: transaction {txKey} of event {key} is being changed by too many requests at once, try again");
    }

    private static EventLogResult<StoredEvent> NoEvent(string key) => EventLogResult.Fail<StoredEvent>(StatusCodes.Status404NotFound, $"key: no event {key}");

    /// <summary>Adds an event just emitted to an index (score: its creation time, now) and trims the index to the retention.</summary>
    private void Index(ITransaction write, List<Task> steps, RedisKey index, string eventKey, long now)
    {
        steps.Add(write.SortedSetAddAsync(index, eventKey, now));
        steps.Add(Trim(write, index, now));
        steps.Add(write.KeyExpireAsync(index, At(now + RetentionMs)));
    }

    private Task<long> Trim(ITransaction transaction, RedisKey index, long now) =>
        transaction.SortedSetRemoveRangeByScoreAsync(index, double.NegativeInfinity, OldestKept(now), Exclude.Stop);

    /// <summary>The creation time (ms) of the oldest event still kept: one emitted at the cutoff expires now.</summary>
    private long OldestKept(long now) => now - RetentionMs + 1;

    /// <summary>Runs a MULTI, then awaits its steps, so none is left unobserved.</summary>
    private static async Task CommitAsync(ITransaction transaction, List<Task> steps)
    {
        await transaction.ExecuteAsync();
        await Task.WhenAll(steps);
    }

    private static DateTime At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;

    /// <summary>What becomes of a transaction: <see cref="Transaction"/> stored, nothing, or a refusal.</summary>
    private readonly record struct Change(LoggedTransaction? Transaction, int Status, string? Error)
    {
        public static readonly Change None = new(null, StatusCodes.Status200OK, null);

        public static Change To(LoggedTransaction transaction) => new(transaction, StatusCodes.Status200OK, null);

        public static Change Refuse(int status, string error) => new(null, status, error);
    }
}
