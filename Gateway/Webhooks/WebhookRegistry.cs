using System.Text.Json;
using Eventd.Gateway.Auth;
using Eventd.Gateway.Hosting;
using StackExchange.Redis;

namespace Eventd.Gateway.Webhooks;

/// <summary>
/// The registrations of each project in Redis: a hash per hook (the registration as JSON, its
/// trigger count and last trigger time, so concurrent triggers count without a read-modify-write)
/// and a sorted set by creation time that the list pages through, newest first.
/// </summary>
public sealed class WebhookRegistry(IConnectionMultiplexer redis, ClusterIdentity identity)
{
    private const string JsonField = "json";
    private const string CountField = "triggerCount";
    private const string LastField = "lastTriggeredAt";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _prefix = $"{identity.ServiceId}/webhooks";

    private IDatabase Db => redis.GetDatabase();

    private RedisKey HookKey(string project, string id) => $"{_prefix}/{project}/hook/{id}";

    private RedisKey IndexKey(string project) => $"{_prefix}/{project}/by-creation";

    /// <summary>Which project each hook id belongs to, so a key of another project is told 403, not 404.</summary>
    private RedisKey OwnersKey => $"{_prefix}/owners";

    public async Task AddAsync(string project, WebhookRegistration registration)
    {
        // Owner, hook, then index entry: a crash in between leaves an owner or a hook the list skips, never a listed id with no hook.
        await Db.HashSetAsync(OwnersKey, registration.Id, project);
        await Db.HashSetAsync(HookKey(project, registration.Id), JsonField, JsonSerializer.Serialize(registration, Json));
        await Db.SortedSetAddAsync(IndexKey(project), registration.Id, registration.CreatedAt.ToUnixTimeMilliseconds());
    }

    /// <summary>
    /// The project holding hook <paramref name="id"/> and the hook, or null when there is none. Hooks
    /// registered before owners were recorded are in the default project.
    /// </summary>
    public async Task<(string Project, WebhookRecord Record)?> FindAsync(string id)
    {
        var project = (string?)await Db.HashGetAsync(OwnersKey, id) ?? Caller.DefaultProject;
        return await GetAsync(project, id) is { } record ? (project, record) : null;
    }

    public async Task<WebhookRecord?> GetAsync(string project, string id)
    {
        var fields = await Db.HashGetAsync(HookKey(project, id), [JsonField, CountField, LastField]);
        return Read(fields);
    }

    /// <summary>Counts a trigger; false when the hook is gone.</summary>
    public async Task<bool> RecordTriggerAsync(string project, string id, DateTimeOffset at)
    {
        var key = HookKey(project, id);
        var batch = Db.CreateBatch();
        var exists = batch.HashExistsAsync(key, JsonField);
        var counted = batch.HashIncrementAsync(key, CountField);
        var stamped = batch.HashSetAsync(key, LastField, at.ToUnixTimeMilliseconds());
        batch.Execute();
        await Task.WhenAll(exists, counted, stamped);
        if (!await exists)
        {
            // Deleted meanwhile: the count fields just written would otherwise keep the key alive.
            await Db.KeyDeleteAsync(key);
            return false;
        }

        return true;
    }

    public async Task<bool> DeleteAsync(string project, string id)
    {
        var deleted = await Db.KeyDeleteAsync(HookKey(project, id));
        await Db.SortedSetRemoveAsync(IndexKey(project), id);
        await Db.HashDeleteAsync(OwnersKey, id);
        return deleted;
    }

    /// <summary>One page of the project's hooks, newest first, and how many it has.</summary>
    public async Task<(IReadOnlyList<WebhookRecord> Items, long Total)> PageAsync(string project, int page, int pageSize)
    {
        var start = (long)(page - 1) * pageSize;
        var total = Db.SortedSetLengthAsync(IndexKey(project));
        var ids = await Db.SortedSetRangeByRankAsync(IndexKey(project), start, start + pageSize - 1, Order.Descending);
        var records = await Task.WhenAll(ids.Select(id => GetAsync(project, id.ToString())));
        return (records.OfType<WebhookRecord>().ToList(), await total);
    }

    private static WebhookRecord? Read(RedisValue[] fields)
    {
        if (fields[0].IsNull)
        {
            return null;
        }

        var registration = JsonSerializer.Deserialize<WebhookRegistration>(fields[0].ToString(), Json)!;
        var count = fields[1].IsNull ? 0 : (long)fields[1];
        DateTimeOffset? last = fields[2].IsNull ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)fields[2]);
        return new WebhookRecord(registration, count, last);
    }
}
