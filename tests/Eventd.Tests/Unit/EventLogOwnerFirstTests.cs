using Eventd.Gateway.EventLog;
using StackExchange.Redis;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>
/// An emit stores the event's owner record before the event itself. On a Redis Cluster the two live in
/// different slots, often on different nodes, so one write can fail while the other succeeds; here an ACL
/// user that may not write owner records stands in for the owner's node refusing the write.
/// </summary>
public sealed class EventLogOwnerFirstTests(EventLogRedisFixture redis) : IClassFixture<EventLogRedisFixture>
{
    private const string UserName = "no-owner-writes";
    private const string Password = "owner-first-test";

    private readonly EventLogStoreHarness _log = new(redis.Connection);

    [Fact]
    public async Task An_emit_whose_owner_record_is_refused_stores_no_event()
    {
        // Reads everywhere, writes only inside the scopes' hash tags: the owner record (outside them) is refused with NOPERM.
        await _log.Db.ExecuteAsync("ACL", "SETUSER", UserName, "on", $">{Password}", "allcommands", "allchannels", "%R~*", "%W~eventd/eventlog/{*");
        var options = ConfigurationOptions.Parse(redis.Connection.Configuration);
        options.User = UserName;
        options.Password = Password;
        await using var restricted = await ConnectionMultiplexer.ConnectAsync(options);
        var store = new EventLogStoreHarness(restricted).StoreAt(_log.Clock);

        await Assert.ThrowsAnyAsync<RedisException>(() =>
            store.EmitAsync(_log.Scope, EventLogIds.NewKey(), new EmitRequest("orphan", EventLogStoreHarness.Json("{}")), new Dictionary<string, string>(), new Dictionary<string, string>()));

        Assert.Equal(0, (await _log.QueryAsync("{}")).Total);
        Assert.False(await _log.Db.KeyExistsAsync(_log.Keys.ByTime));
        Assert.False(await _log.Db.KeyExistsAsync(_log.Keys.ByName("orphan")));
    }
}
