using System.Text.Json;
using Eventd.Gateway.Hosting;
using Eventd.Grains.Interfaces;
using StackExchange.Redis;

namespace Eventd.Gateway.SpaceCloud;

/// <summary>The triggers of each project: one Redis hash per project, field = trigger name, value = the trigger as JSON.</summary>
public sealed class TriggerStore(IConnectionMultiplexer redis, ClusterIdentity identity)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private IDatabase Db => redis.GetDatabase();

    private RedisKey Key(string project) => $"{identity.ServiceId}/spacecloud/{project}/triggers";

    public Task SetAsync(string project, SpaceCloudTrigger trigger) =>
        Db.HashSetAsync(Key(project), trigger.Id, JsonSerializer.Serialize(trigger, Json));

    public Task<bool> DeleteAsync(string project, string name) => Db.HashDeleteAsync(Key(project), name);

    /// <summary>The project's triggers, by name.</summary>
    public async Task<IReadOnlyList<SpaceCloudTrigger>> ListAsync(string project)
    {
        var entries = await Db.HashGetAllAsync(Key(project));
        return entries
            .Select(e => JsonSerializer.Deserialize<SpaceCloudTrigger>(e.Value.ToString(), Json)!)
            .OrderBy(t => t.Id, StringComparer.Ordinal)
            .ToList();
    }
}
