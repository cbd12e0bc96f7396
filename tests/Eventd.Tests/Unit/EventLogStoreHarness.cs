using System.Text.Json;
using Eventd.Gateway.EventLog;
using Eventd.Gateway.Hosting;
using Eventd.TestSupport;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>One redis-server for a class of event-log store tests; each test writes under a project of its own.</summary>
public sealed class EventLogRedisFixture : IAsyncLifetime
{
    private readonly RedisServer _redis = new();

    public ConnectionMultiplexer Connection { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        Connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await Connection.DisposeAsync();
        await _redis.DisposeAsync();
    }
}

/// <summary>
/// The event-log store of one test: a project of its own, and a fake clock started at the real now
/// (Redis expires keys by its own clock), moved on a millisecond by every emit so each event has its own time.
/// </summary>
public sealed class EventLogStoreHarness(ConnectionMultiplexer connection)
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public EventLogScope Scope { get; } = new($"p{Guid.NewGuid():N}", "production", "tester");

    public EventLogStore Store => StoreAt(Clock);

    public IDatabase Db => connection.GetDatabase();

    public EventLogKeys Keys => new(new ClusterIdentity().ServiceId, Scope);

    public long Now => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    public EventLogStore StoreAt(TimeProvider clock) => new(connection, new ClusterIdentity(), Options.Create(new EventLogOptions()), clock);

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    public async Task<string> EmitAsync(string name, EventLogScope? scope = null)
    {
        var row = await Store.EmitAsync(scope ?? Scope, EventLogIds.NewKey(), new EmitRequest(name, Json("{}")), None, None);
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        return row.Key;
    }

    public Task<(IReadOnlyList<EventRow> Rows, long Total)> QueryAsync(string body, EventLogScope? scope = null) =>
        Store.QueryAsync(scope ?? Scope, EventLogRequests.ParseQuery(Json(body)).Query!);

    public async Task<string[]> KeysOfAsync(string body, EventLogScope? scope = null) =>
        [.. (await QueryAsync(body, scope)).Rows.Select(r => r.Key)];

    public async Task<EventRow> RowAsync(string key) => (await QueryAsync("{}")).Rows.Single(r => r.Key == key);

    public async Task<LoggedTransaction> InitAsync(string key, string txKey) => (await Store.InitAsync(Scope, new InitRequest(key, txKey))).Value!;

    public async Task<EventRow> UpdateAsync(string key, string txKey, string state) => (await Store.UpdateAsync(Scope, new UpdateRequest(key, null, txKey, state))).Value!;

    /// <summary>The combined sets of queries still in Redis: each should live only inside its query's MULTI.</summary>
    public async Task<List<RedisKey>> QueryLeftoversAsync()
    {
        var keys = new List<RedisKey>();
        await foreach (var key in connection.GetServers().Single().KeysAsync(pattern: "*/query/*"))
        {
            keys.Add(key);
        }

        return keys;
    }
}
