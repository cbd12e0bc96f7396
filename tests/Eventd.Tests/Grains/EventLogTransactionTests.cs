using System.Text.Json;
using Eventd.Gateway.EventLog;
using Eventd.Grains.EventLog;
using Eventd.Grains.Interfaces;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Eventd.Tests.Grains;

/// <summary>The event log's transactions over the TestCluster's grains: init, transact and update, and their races.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EventLogTransactionTests(ClusterFixture fixture)
{
    private readonly EventLogHarness _log = new(fixture);

    [Fact]
    public async Task A_second_init_answers_the_open_transaction_unchanged()
    {
        var key = await _log.EmitAsync("job");
        var first = await _log.InitAsync(key, "mailer");
        _log.Clock.Advance(TimeSpan.FromSeconds(1));

        var second = await _log.InitAsync(key, "mailer");

        Assert.Equal(JsonSerializer.Serialize(first), JsonSerializer.Serialize(second));
        Assert.Equal(("processing", null, key, "mailer"), (first.State, first.EndedAt, first.Key, first.TxKey));
        Assert.Matches("^[0-9a-f]{32}$", first.Txn);
        Assert.Equal(2, (await _log.RowAsync(key)).V);
    }

    [Fact]
    public async Task Concurrent_inits_of_one_transaction_open_it_once()
    {
        var key = await _log.EmitAsync("job");

        var inits = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => _log.InitAsync(new InitRequest(key, "mailer")))));

        Assert.Single(inits.Select(i => i.Value!.Txn).Distinct());
        var row = await _log.RowAsync(key);
        Assert.Equal((1, 2L), (row.Processing.TotalTransactions, row.V));
    }

    [Fact]
    public async Task Concurrent_changes_to_different_transactions_of_one_event_all_land()
    {
        var key = await _log.EmitAsync("job");
        var consumers = Enumerable.Range(0, 20).Select(i => $"consumer-{i}").ToList();

        await Task.WhenAll(consumers.Select(txKey => Task.Run(() => _log.InitAsync(new InitRequest(key, txKey)))));
        var opened = await _log.RowAsync(key);
        await Task.WhenAll(consumers.Select(txKey => Task.Run(() => _log.TransactAsync(new TransactRequest(key, txKey, "finished", null)))));
        var closed = await _log.RowAsync(key);

        Assert.Equal((20, "processing", 21L), (opened.Processing.TotalTransactions, opened.State, opened.V));
        Assert.Equal(("completed", true, 41L), (closed.State, closed.Processing.IsCompleted, closed.V));
        Assert.Equal(["created", "processing", "completed"], closed.History.Select(h => h.EnterState));
    }

    [Fact]
    public async Task Transact_closes_the_transaction_with_its_output_and_completes_the_event()
    {
        var key = await _log.EmitAsync("job");
        var opened = await _log.InitAsync(key, "mailer");
        _log.Clock.Advance(TimeSpan.FromSeconds(2));
        var closedAt = _log.Now;

        var closed = (await _log.TransactAsync(new TransactRequest(key, "mailer", "finished", EventLogHarness.Json("""{"sent": 3}""")))).Value!;

        Assert.Equal((opened.Txn, "finished", closedAt, opened.StartedAt), (closed.Txn, closed.State, closed.EndedAt, closed.StartedAt));
        Assert.Equal("""{"sent":3}""", JsonSerializer.Serialize(closed.Output));
        Assert.Equal(new HistoryEntry("finished", "processing", closedAt, "tester"), closed.History[^1]);
        var row = await _log.RowAsync(key);
        Assert.Equal(("completed", 3L, true), (row.State, row.V, row.Processing.IsCompleted));
        Assert.Equal(["created", "processing", "completed"], row.History.Select(h => h.EnterState));
    }

    [Fact]
    public async Task Transacting_a_closed_transaction_again_moves_it_again()
    {
        var key = await _log.EmitAsync("job");
        await _log.InitAsync(key, "mailer");
        await _log.TransactAsync(new TransactRequest(key, "mailer", "finished", EventLogHarness.Json("1")));

        var again = (await _log.TransactAsync(new TransactRequest(key, "mailer", "failed", EventLogHarness.Json("2")))).Value!;

        Assert.Equal(("failed", "2"), (again.State, again.Output!.Value.GetRawText()));
        Assert.Equal(["processing", "finished", "failed"], again.History.Select(h => h.EnterState));
        Assert.Equal("failed", (await _log.RowAsync(key)).State);
    }

    [Fact]
    public async Task An_unknown_event_or_an_unopened_transaction_is_404_and_nothing_is_written()
    {
        var key = await _log.EmitAsync("job");
        var unknown = Guid.NewGuid().ToString("N");

        var noEvent = await _log.InitAsync(new InitRequest(unknown, "mailer"));
        var malformed = await _log.UpdateAsync(new UpdateRequest("not-a-key", null, "mailer", "finished"));
        var noTransaction = await _log.TransactAsync(new TransactRequest(key, "mailer", "finished", null));

        Assert.Equal((StatusCodes.Status404NotFound, $"key: no event {unknown}"), (noEvent.Status, noEvent.Error));
        Assert.Equal((StatusCodes.Status404NotFound, "key: no event not-a-key"), (malformed.Status, malformed.Error));
        Assert.Equal((StatusCodes.Status404NotFound, $"txKey: no transaction mailer on event {key}"), (noTransaction.Status, noTransaction.Error));
        Assert.Empty(await _log.StateKeysAsync(unknown));
        Assert.False(await _log.Db.KeyExistsAsync(_log.Keys.Transactions("mailer", EventLogIndexKeys.AnyState)));
        Assert.Equal(1, (await _log.RowAsync(key)).V);
    }

    [Fact]
    public async Task Update_opens_or_moves_a_transaction_and_answers_the_row()
    {
        var key = await _log.EmitAsync("job");

        var created = await _log.UpdateAsync(key, "mailer", "finished");
        var same = await _log.UpdateAsync(key, "mailer", "finished");
        var misnamed = await _log.UpdateAsync(new UpdateRequest(key, "other", "mailer", "failed"));
        var reopened = (await _log.UpdateAsync(new UpdateRequest(key, "job", "mailer", "processing"))).Value!;

        Assert.Equal((key, "completed", 2L, true), (created.Key, created.State, created.V, created.Processing.IsCompleted));
        Assert.Equal(2L, same.V);
        Assert.Equal((StatusCodes.Status400BadRequest, $"eventName: event {key} is named 'job', not 'other'"), (misnamed.Status, misnamed.Error));
        Assert.Equal(("processing", 3L, false), (reopened.State, reopened.V, reopened.Processing.IsCompleted));
        Assert.Equal([key], await _log.KeysOfAsync("""{"txKey": "mailer", "txState": "processing"}"""));
        Assert.Empty(await _log.KeysOfAsync("""{"txKey": "mailer", "txState": "finished"}"""));
    }

    [Fact]
    public async Task The_stored_state_reads_back_as_the_grain_answered_it()
    {
        var key = await _log.EmitAsync("job");
        await _log.InitAsync(key, "mailer");
        var closed = (await _log.TransactAsync(new TransactRequest(key, "mailer", "failed", EventLogHarness.Json("""{"why": "x"}""")))).Value!;
        var grain = _log.Grains.GetGrain<ILoggedEventGrain>(LoggedEventKey.Of(_log.Scope.Project, _log.Scope.Environment, key));
        var stored = new GrainState<LoggedEventState>(new LoggedEventState());

        await fixture.EventLogStorage.ReadStateAsync(LoggedEventState.Name, grain.GetGrainId(), stored);

        var state = Assert.IsType<LoggedEventState>(stored.State);
        var loggedEvent = Assert.IsType<LoggedEvent>(state.Event);
        Assert.Equal((key, "job"), (loggedEvent.Key, loggedEvent.EventName));
        Assert.Equal(JsonSerializer.Serialize(closed), JsonSerializer.Serialize(TransactionRow.Of(state.Transactions["mailer"])));
        Assert.Equal(EventStates.Failed, LoggedEventRows.Of(loggedEvent, state.Transactions.Values).State);
    }
}
