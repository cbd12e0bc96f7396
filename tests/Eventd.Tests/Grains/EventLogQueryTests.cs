using Eventd.Gateway.EventLog;
using Eventd.Grains.EventLog;
using Eventd.Grains.Interfaces;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Eventd.Tests.Grains;

/// <summary>
/// The event log's emit and query over the TestCluster's grains and a real Redis: the indexes behind each
/// filter, paging, scopes, an emit run again and retention.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class EventLogQueryTests(ClusterFixture fixture)
{
    private readonly EventLogHarness _log = new(fixture);

    [Fact]
    public async Task Emitted_events_are_found_newest_first_by_their_exact_name()
    {
        var first = await _log.EmitAsync("signup");
        var other = await _log.EmitAsync("SignUp");
        var second = await _log.EmitAsync("signup");

        Assert.Equal([second, first], await _log.KeysOfAsync("""{"eventName": "signup"}"""));
        Assert.Equal([other], await _log.KeysOfAsync("""{"eventName": "SignUp"}"""));
        Assert.Equal([second, other, first], await _log.KeysOfAsync("{}"));
    }

    [Fact]
    public async Task A_row_holds_the_event_as_emitted()
    {
        var now = _log.Now;
        var query = new Dictionary<string, string> { ["source"] = "cli" };
        var headers = new Dictionary<string, string> { ["user-agent"] = "test" };

        var emitted = await EventLogCalls.EmitAsync(_log.Grains, _log.Scope, EventLogIds.NewKey(), new EmitRequest("order.paid", EventLogHarness.Json("""{"order": 42, "big": 12345678901234567890}""")), query, headers);
        var row = (await _log.QueryAsync("{}")).Rows.Single();

        Assert.Matches("^[0-9a-f]{32}$", row.Key);
        Assert.Matches("^[0-9a-f]{24}$", row.Id);
        Assert.Equal(emitted.Key, row.Key);
        Assert.Equal(("order.paid", "production", now, now + (long)TimeSpan.FromDays(30).TotalMilliseconds), (row.EventName, row.Environment, row.CreatedAt, row.Ttl));
        Assert.Equal("""{"order":42,"big":12345678901234567890}""", row.Payload.GetRawText());
        Assert.Equal(query, row.Query);
        Assert.Equal(headers, row.Headers);
        Assert.Equal(("created", 1L), (row.State, row.V));
        Assert.Equal([new HistoryEntry("created", null, now, "tester")], row.History);
        Assert.Equal(new Ownership(_log.Scope.Project, "tester", null), row.Ownership);
        Assert.Equal(new ProcessingSummary(false, 0, false, false), row.Processing);
    }

    [Fact]
    public async Task Emitting_a_key_again_answers_the_row_stored_first_and_records_nothing_new()
    {
        var key = EventLogIds.NewKey();
        var first = await _log.EmitAsync(key, "order.paid", """{"order": 1}""");
        _log.Clock.Advance(TimeSpan.FromSeconds(6));

        var rerun = await _log.EmitAsync(key, "order.paid", """{"order": 2}""");

        Assert.Equal((first.Key, first.Id, first.CreatedAt, """{"order":1}"""), (rerun.Key, rerun.Id, rerun.CreatedAt, rerun.Payload.GetRawText()));
        var row = Assert.Single((await _log.QueryAsync("{}")).Rows);
        Assert.Equal((first.Id, first.CreatedAt), (row.Id, row.CreatedAt));
        Assert.Equal([key], await _log.KeysOfAsync("""{"eventName": "order.paid"}"""));
    }

    [Fact]
    public async Task Platform_and_label_find_events_by_their_full_name()
    {
        var full = await _log.EmitAsync("web.app.signup");
        await _log.EmitAsync("signup");
        var labelled = await _log.EmitAsync("app.signup");

        Assert.Equal([full], await _log.KeysOfAsync("""{"platform": "Web", "label": "App", "eventName": "SignUp"}"""));
        Assert.Equal([labelled], await _log.KeysOfAsync("""{"label": "APP", "eventName": "signup"}"""));
    }

    [Fact]
    public async Task Since_keeps_events_created_at_or_after_it()
    {
        await _log.EmitAsync("tick");
        _log.Clock.Advance(TimeSpan.FromSeconds(5));
        var since = _log.Now;
        var later = await _log.EmitAsync("tick");

        Assert.Equal([later], await _log.KeysOfAsync($$"""{"since": {{since}}}"""));
        Assert.Empty(await _log.KeysOfAsync($$"""{"since": {{since + 1}}}"""));
        Assert.Equal(2, (await _log.QueryAsync($$"""{"since": "{{DateTimeOffset.FromUnixTimeMilliseconds(since - 5001):O}}"}""")).Total);
    }

    [Fact]
    public async Task Pages_split_the_kept_events_and_the_total_counts_them_all()
    {
        var paged = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            paged.Add(await _log.EmitAsync("paged"));
        }

        await _log.EmitAsync("other");

        var pages = new List<string>();
        for (var page = 1; page <= 4; page++)
        {
            var (rows, total) = await _log.QueryAsync($$"""{"eventName": "paged", "page": {{page}}, "pageSize": 10}""");
            Assert.Equal(25, total);
            Assert.Equal(page switch { 3 => 5, 4 => 0, _ => 10 }, rows.Count);
            pages.AddRange(rows.Select(r => r.Key));
        }

        Assert.Equal(Enumerable.Reverse(paged), pages);
        Assert.Equal(10, (await _log.QueryAsync("{}")).Rows.Count);
    }

    [Fact]
    public async Task A_txKey_and_txState_keep_events_by_their_transaction_for_that_txKey()
    {
        var processing = await _log.EmitAsync("job");
        var finished = await _log.EmitAsync("job");
        var failed = await _log.EmitAsync("job");
        var otherConsumer = await _log.EmitAsync("job");
        var untouched = await _log.EmitAsync("job");
        var otherName = await _log.EmitAsync("task");
        await _log.InitAsync(processing, "mailer");
        await _log.UpdateAsync(finished, "mailer", "finished");
        await _log.UpdateAsync(failed, "mailer", "failed");
        await _log.InitAsync(otherConsumer, "billing");
        await _log.InitAsync(otherName, "mailer");

        Assert.Equal([otherName, processing], await _log.KeysOfAsync("""{"txKey": "mailer", "txState": "processing"}"""));
        Assert.Equal([processing], await _log.KeysOfAsync("""{"eventName": "job", "txKey": "mailer", "txState": "processing"}"""));
        Assert.Equal([finished], await _log.KeysOfAsync("""{"txKey": "mailer", "txState": "finished"}"""));
        Assert.Equal([failed], await _log.KeysOfAsync("""{"txKey": "mailer", "txState": "failed"}"""));
        Assert.Equal([untouched, otherConsumer], await _log.KeysOfAsync("""{"eventName": "job", "txKey": "mailer", "txState": "does-not-exist"}"""));
        Assert.Equal([failed, finished, processing], await _log.KeysOfAsync("""{"eventName": "job", "txKey": "mailer"}"""));
        Assert.Equal(2, (await _log.QueryAsync("""{"eventName": "job", "txKey": "mailer", "txState": "does-not-exist", "pageSize": 1}""")).Total);

        await _log.TransactAsync(new TransactRequest(processing, "mailer", "finished", null));

        Assert.Equal([otherName], await _log.KeysOfAsync("""{"txKey": "mailer", "txState": "processing"}"""));
        Assert.Equal([finished, processing], await _log.KeysOfAsync("""{"txKey": "mailer", "txState": "finished"}"""));
        Assert.Empty(await _log.QueryLeftoversAsync());
    }

    [Fact]
    public async Task Each_project_and_environment_sees_only_its_own_events()
    {
        var staging = _log.Scope with { Environment = "staging" };
        var otherProject = _log.Scope with { Project = $"p{Guid.NewGuid():N}" };
        var mine = await _log.EmitAsync("shared");
        var theirs = await _log.EmitAsync("shared", staging);
        var others = await _log.EmitAsync("shared", otherProject);

        Assert.Equal([mine], await _log.KeysOfAsync("{}"));
        Assert.Equal([theirs], await _log.KeysOfAsync("{}", staging));
        Assert.Equal([others], await _log.KeysOfAsync("""{"eventName": "shared"}""", otherProject));
        Assert.Equal(StatusCodes.Status404NotFound, (await _log.InitAsync(new InitRequest(mine, "mailer"), staging)).Status);
        Assert.Equal("staging", (await _log.QueryAsync("{}", staging)).Rows.Single().Environment);
    }

    [Fact]
    public async Task An_event_past_its_ttl_is_not_returned_and_its_index_entries_are_trimmed()
    {
        var old = await _log.EmitAsync("old");
        await _log.InitAsync(old, "mailer");
        var row = await _log.RowAsync(old);
        var retention = (long)TimeSpan.FromDays(30).TotalMilliseconds;

        Assert.Equal(row.CreatedAt + retention, row.Ttl);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt + retention).UtcDateTime, await _log.Db.KeyExpireTimeAsync(_log.Keys.ByName("old")));
        Assert.True(await _log.Db.KeyExpireTimeAsync(_log.Keys.Transactions("mailer", EventLogIndexKeys.AnyState)) >= DateTimeOffset.FromUnixTimeMilliseconds(row.Ttl).UtcDateTime);

        _log.Clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(row.Ttl));
        var fresh = await _log.EmitAsync("old");

        Assert.Equal([fresh], await _log.KeysOfAsync("""{"eventName": "old"}"""));
        Assert.Equal(1, (await _log.QueryAsync("""{"eventName": "old"}""")).Total);
        Assert.Equal(0, (await _log.QueryAsync("""{"txKey": "mailer"}""")).Total);
        Assert.Null(await _log.Db.SortedSetScoreAsync(_log.Keys.ByTime, old));
        Assert.Null(await _log.Db.SortedSetScoreAsync(_log.Keys.ByName("old"), old));
        Assert.Null(await _log.Db.SortedSetScoreAsync(_log.Keys.Transactions("mailer", EventLogIndexKeys.AnyState), old));
    }

    [Fact]
    public async Task An_event_asked_for_after_its_ttl_is_unknown_and_its_grains_clear_their_state()
    {
        var key = await _log.EmitAsync("ancient");
        var row = await _log.RowAsync(key);
        Assert.Equal(2, (await _log.StateKeysAsync(key)).Count);

        _log.Clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(row.Ttl));

        Assert.Equal(StatusCodes.Status404NotFound, (await _log.InitAsync(new InitRequest(key, "mailer"))).Status);
        Assert.Null(await EventLogCalls.OwnerAsync(_log.Grains, key));
        Assert.Empty(await _log.StateKeysAsync(key));
        Assert.Equal(0, (await _log.QueryAsync("{}")).Total);
        Assert.False(await _log.Db.KeyExistsAsync(_log.Keys.ByTime));
        Assert.False(await _log.Db.KeyExistsAsync(_log.Keys.Transactions("mailer", EventLogIndexKeys.AnyState)));
    }

    [Fact]
    public async Task An_emit_whose_owner_claim_fails_stores_no_event()
    {
        var key = EventLogIds.NewKey();
        OwnerClaimFaults.Reject(key);

        await Assert.ThrowsAnyAsync<Exception>(() => _log.EmitAsync(key, "orphan", "{}"));

        Assert.Equal(0, (await _log.QueryAsync("{}")).Total);
        Assert.False(await _log.Db.KeyExistsAsync(_log.Keys.ByTime));
        Assert.False(await _log.Db.KeyExistsAsync(_log.Keys.ByName("orphan")));
        Assert.Empty(await _log.StateKeysAsync(key));
    }
}
