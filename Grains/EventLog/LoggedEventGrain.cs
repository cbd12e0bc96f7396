using Microsoft.Extensions.DependencyInjection;
using Eventd.Grains.Interfaces;

namespace Eventd.Grains.EventLog;

/// <summary>The persisted state of one logged event: its fixed part (null until emitted) and its transactions by txKey.</summary>
public sealed class LoggedEventState
{
    public const string Name = "event";

    public LoggedEvent? Event { get; set; }

    public Dictionary<string, LoggedTransaction> Transactions { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// One logged event (see <see cref="ILoggedEventGrain"/>). Its turns replace the compare-and-set a shared row
/// needs: racing inits of one transaction are answered one after the other, so it opens once. Index entries
/// a new state needs are added before the state is written and the ones it no longer needs removed after:
/// a crash between leaves at worst an entry the query drops, because the row it reads says otherwise.
/// Retention: past its <c>ttl</c> the grain answers as if never emitted and clears its state; the storage's
/// own expiry (retention after the last write) removes the state of events nobody asks about again.
/// </summary>
public sealed class LoggedEventGrain(
    [PersistentState(LoggedEventState.Name, StorageNames.EventLog)] IPersistentState<LoggedEventState> state,
    EventLogIndex index,
    [FromKeyedServices(GrainClocks.EventLog)] TimeProvider time) : Grain, ILoggedEventGrain
{
    private long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    private LoggedEventState S => state.State;

    private (string Project, string Environment, string EventKey) Id =>
        this.GetPrimaryKeyString().Split('/') is [var project, var environment, var eventKey]
            ? (Uri.UnescapeDataString(project), Uri.UnescapeDataString(environment), eventKey)
            : throw new InvalidOperationException($"Logged-event grain key \"{this.GetPrimaryKeyString()}\" is not project/environment/eventKey");

    private EventLogIndexKeys Keys => index.Keys(Id.Project, Id.Environment);

    public async Task<LoggedEventRow> Emit(EventEmission emission)
    {
        if (await KeptAsync() is { } kept)
        {
            // Recorded by an earlier run under this key: its row as it is now, nothing new recorded.
            return LoggedEventRows.Of(kept, S.Transactions.Values);
        }

        var now = NowMs;
        var loggedEvent = new LoggedEvent(
            EventLogIds.NewObjectId(now),
            Id.EventKey,
            emission.EventName,
            Id.Environment,
            emission.PayloadJson,
            emission.Query,
            emission.Headers,
            now,
            now + index.RetentionMs,
            new Ownership(Id.Project, emission.By, null));

        // The owner first: an owner without its event reads as an unknown key (404), an event without one
        // would be missed by the admin key and refused to no one.
        await GrainFactory.GetGrain<IEventOwnerGrain>(Id.EventKey).Claim(new EventOwner(Id.Project, Id.Environment), loggedEvent.Ttl);
        await index.AddAsync([Keys.ByTime, Keys.ByName(loggedEvent.EventName)], Id.EventKey, now, now);
        S.Event = loggedEvent;
        S.Transactions.Clear();
        await WriteAsync();
        return LoggedEventRows.Of(loggedEvent, []);
    }

    public async Task<LoggedEventRow?> Get() =>
        await KeptAsync() is { } kept ? LoggedEventRows.Of(kept, S.Transactions.Values) : null;

    public async Task<TransactionAnswer> Init(string txKey, string? by)
    {
        if (await KeptAsync() is not { } kept)
        {
            return new TransactionAnswer(null, EventLogRefusal.NoEvent);
        }

        return S.Transactions.TryGetValue(txKey, out var opened)
            ? new TransactionAnswer(opened, EventLogRefusal.None)
            : new TransactionAnswer(await WriteAsync(null, TransactionChanges.Open(kept, txKey, EventStates.Processing, NowMs, by)), EventLogRefusal.None);
    }

    public async Task<TransactionAnswer> Transact(string txKey, string state, string? outputJson, string? by)
    {
        if (await KeptAsync() is null)
        {
            return new TransactionAnswer(null, EventLogRefusal.NoEvent);
        }

        return S.Transactions.TryGetValue(txKey, out var opened)
            ? new TransactionAnswer(await WriteAsync(opened, opened.MoveTo(state, NowMs, by) with { OutputJson = outputJson }), EventLogRefusal.None)
            : new TransactionAnswer(null, EventLogRefusal.NoTransaction);
    }

    public async Task<RowAnswer> Update(string? eventName, string txKey, string state, string? by)
    {
        if (await KeptAsync() is not { } kept)
        {
            return new RowAnswer(null, EventLogRefusal.NoEvent);
        }

        if (eventName is not null && eventName != kept.EventName)
        {
            return new RowAnswer(LoggedEventRows.Of(kept, S.Transactions.Values), EventLogRefusal.OtherName);
        }

        var now = NowMs;
        if (!S.Transactions.TryGetValue(txKey, out var existing))
        {
            await WriteAsync(null, TransactionChanges.Open(kept, txKey, state, now, by));
        }
        else if (existing.State != state)
        {
            await WriteAsync(existing, existing.MoveTo(state, now, by));
        }

        return new RowAnswer(LoggedEventRows.Of(kept, S.Transactions.Values), EventLogRefusal.None);
    }

    /// <summary>The event while it is kept; past its <c>ttl</c> its state is cleared and null answered.</summary>
    private async Task<LoggedEvent?> KeptAsync()
    {
        if (S.Event is not { } loggedEvent)
        {
            return null;
        }

        if (NowMs < loggedEvent.Ttl)
        {
            return loggedEvent;
        }

        // Its index entries are trimmed by score with every write and query of the scope.
        await state.ClearStateAsync();
        state.State = new LoggedEventState();
        return null;
    }

    /// <summary>Stores <paramref name="next"/> in place of <paramref name="previous"/>, with the index entries that find it by its state.</summary>
    private async Task<LoggedTransaction> WriteAsync(LoggedTransaction? previous, LoggedTransaction next)
    {
        var (loggedEvent, now) = (S.Event!, NowMs);
        await index.AddAsync([Keys.Transactions(next.TxKey, next.State), Keys.Transactions(next.TxKey, EventLogIndexKeys.AnyState)], Id.EventKey, loggedEvent.CreatedAt, now);
        S.Transactions[next.TxKey] = next;
        await WriteAsync();
        if (previous is not null && previous.State != next.State)
        {
            await index.RemoveAsync(Keys.Transactions(previous.TxKey, previous.State), Id.EventKey);
        }

        return next;
    }

    private async Task WriteAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // The state in memory is ahead of the stored one: the next activation reads what was stored.
            DeactivateOnIdle();
            throw;
        }
    }
}
