using System.Net;
using System.Text.Json;
using StackExchange.Redis;

namespace Eventd.IntegrationTests;

/// <summary>
/// The event log (API.md section 5) on a real three-master Redis Cluster, with a project key: its grains write
/// their query index entries in MULTIs and its queries combine sorted sets, each over the index sets of one
/// project and environment, which must share a slot there.
/// </summary>
[Collection(KeyedRedisClusterCollection.Name)]
public sealed class RedisClusterEventLogTests(KeyedRedisClusterFixture fixture)
{
    private KeyedCalls Calls => new(fixture.Eventd);

    [Fact]
    public async Task Emit_init_transact_and_update_are_seen_by_the_next_query_and_full_names_are_joined()
    {
        var project = KeyedCalls.Unique("log");
        var secret = await fixture.Eventd.CreateKeyAsync(KeyedCalls.Unique("key"), project, environment: "staging");

        var created = await EmitAsync(secret, "order.created", new { id = 7 });
        var other = await EmitAsync(secret, "order.created", new { id = 8 });
        var found = await QueryAsync(secret, new { eventName = "order.created" });

        Assert.Equal(2, found.GetProperty("total").GetInt32());
        var row = found.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == created);
        Assert.Equal(("order.created", "staging", "created", 7), (row.GetProperty("eventName").GetString(), row.GetProperty("environment").GetString(), row.GetProperty("state").GetString(), row.GetProperty("payload").GetProperty("id").GetInt32()));
        Assert.Equal(project, row.GetProperty("ownership").GetProperty("buildableId").GetString());

        var opened = await Calls.OkJsonAsync(HttpMethod.Post, "/init", new { key = created, txKey = "billing" }, secret);
        Assert.Equal(("processing", "billing"), (opened.GetProperty("state").GetString(), opened.GetProperty("txKey").GetString()));
        Assert.Equal([created], await KeysOfAsync(secret, new { txKey = "billing", txState = "processing" }));
        Assert.Equal([other], await KeysOfAsync(secret, new { txKey = "billing", txState = "does-not-exist" }));

        var closed = await Calls.OkJsonAsync(HttpMethod.Post, "/transact", new { key = created, txKey = "billing", state = "finished", output = new { charged = true } }, secret);
        Assert.Equal("finished", closed.GetProperty("state").GetString());
        Assert.True(closed.GetProperty("output").GetProperty("charged").GetBoolean());
        Assert.Equal([created], await KeysOfAsync(secret, new { txKey = "billing", txState = "finished" }));
        Assert.Empty(await KeysOfAsync(secret, new { txKey = "billing", txState = "processing" }));

        var updated = await Calls.OkJsonAsync(HttpMethod.Post, "/update", new { key = other, eventName = "order.created", txKey = "mailer", txState = "failed" }, secret);
        Assert.Equal((other, "failed"), (updated.GetProperty("key").GetString(), updated.GetProperty("state").GetString()));
        Assert.Equal([other], await KeysOfAsync(secret, new { eventName = "order.created", txKey = "mailer", txState = "failed" }));
        Assert.Equal([created], await KeysOfAsync(secret, new { txKey = "mailer", txState = "does-not-exist" }));

        var fullName = await Calls.OkJsonAsync(HttpMethod.Post, "/get-full-event-name", new { eventName = "Created", platform = "Shop", label = "Orders" }, secret);
        Assert.Equal("shop.orders.created", fullName.GetProperty("fullName").GetString());

        // The index sets the grains wrote for the scope, all in the slot of its hash tag.
        var written = await ScopeKeysAsync($"eventd/eventlog/{{{project}/staging}}");
        Assert.True(written.Count >= 6, string.Join(", ", written));
        Assert.Single(written.Select(k => fixture.Eventd.RedisDb.Multiplexer.HashSlot(k)).Distinct());
    }

    /// <summary>Every key of every master whose name starts with <paramref name="prefix"/> (no glob characters in it).</summary>
    private async Task<List<RedisKey>> ScopeKeysAsync(string prefix)
    {
        var masters = fixture.Eventd.RedisDb.Multiplexer.GetServers().Where(s => !s.IsReplica).ToList();
        Assert.Equal(3, masters.Count);
        var keys = new List<RedisKey>();
        foreach (var master in masters)
        {
            await foreach (var key in master.KeysAsync(pattern: prefix + "*"))
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    [Fact]
    public async Task The_admin_key_changes_an_event_where_it_lives_and_another_projects_key_is_refused()
    {
        // A change names only the event's key: its owner grain says which scope's event it is.
        var project = KeyedCalls.Unique("log");
        var secret = await fixture.Eventd.CreateKeyAsync(KeyedCalls.Unique("key"), project, environment: "staging");
        var stranger = await fixture.Eventd.CreateKeyAsync(KeyedCalls.Unique("key"), KeyedCalls.Unique("log"));
        var key = await EmitAsync(secret, "reach", new { n = 1 });

        var opened = await Calls.OkJsonAsync(HttpMethod.Post, "/init", new { key, txKey = "ops" });
        using var refused = await Calls.SendAsync(HttpMethod.Post, "/init", new { key, txKey = "ops" }, stranger);

        Assert.Equal("processing", opened.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var row = (await QueryAsync(secret, new { txKey = "ops", txState = "processing" })).GetProperty("rows").EnumerateArray().Single();
        Assert.Equal((key, "admin"), (row.GetProperty("key").GetString(), row.GetProperty("history").EnumerateArray().Last().GetProperty("updatedBy").GetString()));
        var listed = await Calls.OkJsonAsync(HttpMethod.Post, $"/query?project={project}&environment=staging", new { eventName = "reach" });
        Assert.Equal([key], listed.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("key").GetString()));
    }

    private async Task<string> EmitAsync(string secret, string eventName, object payload)
    {
        var answer = await Calls.OkJsonAsync(HttpMethod.Post, "/emit", new { @event = eventName, payload }, secret);
        Assert.Equal("success", answer.GetProperty("status").GetString());
        return answer.GetProperty("key").GetString()!;
    }

    private Task<JsonElement> QueryAsync(string secret, object query) => Calls.OkJsonAsync(HttpMethod.Post, "/query", query, secret);

    private async Task<string[]> KeysOfAsync(string secret, object query) =>
        [.. (await QueryAsync(secret, query)).GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("key").GetString()!)];
}
