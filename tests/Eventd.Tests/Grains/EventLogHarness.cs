using System.Text.Json;
using Eventd.Gateway.EventLog;
using Eventd.Grains.EventLog;
using Eventd.Grains.Interfaces;
using StackExchange.Redis;

namespace Eventd.Tests.Grains;

/// <summary>
/// The event log of one test, through the gateway's calls into the TestCluster's grains: a project of its own,
/// and the silos' fake event-log clock (<see cref="ClusterFixture.EventLogTime"/>), moved on a millisecond by
/// every emit so each event has its own time.
/// </summary>
public sealed class EventLogHarness(ClusterFixture fixture)
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock { get; } = ClusterFixture.EventLogTime;

    public EventLogScope Scope { get; } = new($"p{Guid.NewGuid():N}", "production", "tester");

    public IGrainFactory Grains => fixture.Cluster.GrainFactory;

    public IDatabase Db => fixture.RedisClient.GetDatabase();

    public EventLogIndexKeys Keys => fixture.EventLogIndex.Keys(Scope.Project, Scope.Environment);

    public long Now => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    public Task<EventRow> EmitAsync(string key, string name, string payload, EventLogScope? scope = null) =>
        EventLogCalls.EmitAsync(Grains, scope ?? Scope, key, new EmitRequest(name, Json(payload)), None, None);

    public async Task<string> EmitAsync(string name, EventLogScope? scope = null)
    {
        var row = await EmitAsync(EventLogIds.NewKey(), name, "{}", scope);
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        return row.Key;
    }

    public Task<(IReadOnlyList<EventRow> Rows, long Total)> QueryAsync(string body, EventLogScope? scope = null) =>
        EventLogCalls.QueryAsync(Grains, scope ?? Scope, EventLogRequests.ParseQuery(Json(body)).Query!);

    public async Task<string[]> KeysOfAsync(string body, EventLogScope? scope = null) =>
        [.. (await QueryAsync(body, scope)).Rows.Select(r => r.Key)];

    public async Task<EventRow> RowAsync(string key) => (await QueryAsync("""{"pageSize": 100}""")).Rows.Single(r => r.Key == key);

    public Task<EventLogResult<TransactionRow>> InitAsync(InitRequest request, EventLogScope? scope = null) => EventLogCalls.InitAsync(Grains, scope ?? Scope, request);

    public async Task<TransactionRow> InitAsync(string key, string txKey) => (await InitAsync(new InitRequest(key, txKey))).Value!;

    public Task<EventLogResult<TransactionRow>> TransactAsync(TransactRequest request) => EventLogCalls.TransactAsync(Grains, Scope, request);

    public Task<EventLogResult<EventRow>> UpdateAsync(UpdateRequest request) => EventLogCalls.UpdateAsync(Grains, Scope, request);

    public async Task<EventRow> UpdateAsync(string key, string txKey, string state) => (await UpdateAsync(new UpdateRequest(key, null, txKey, state))).Value!;

    /// <summary>The grain state Redis holds for the event <paramref name="eventKey"/> (its row, its owner).</summary>
    public async Task<List<RedisKey>> StateKeysAsync(string eventKey)
    {
        var keys = new List<RedisKey>();
        await foreach (var key in fixture.RedisClient.GetServers().Single().KeysAsync(pattern: $"*/state/*{eventKey}*"))
        {
            keys.Add(key);
        }

        return keys;
    }

    /// <summary>The combined sets of queries still in Redis: each should live only inside its query's MULTI.</summary>
    public async Task<List<RedisKey>> QueryLeftoversAsync()
    {
        var keys = new List<RedisKey>();
        await foreach (var key in fixture.RedisClient.GetServers().Single().KeysAsync(pattern: $"*{Scope.Project}*/query/*"))
        {
            keys.Add(key);
        }

        return keys;
    }
}
