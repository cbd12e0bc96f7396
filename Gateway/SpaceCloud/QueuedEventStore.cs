using System.Text.Json;
using Eventd.Gateway.Hosting;
using StackExchange.Redis;

namespace Eventd.Gateway.SpaceCloud;

/// <summary>
/// One trigger's share of a queued event: the Eventd event that delivers it, or, for a synchronous
/// queue (no Eventd event), the outcome of its single attempt.
/// </summary>
public sealed record QueuedDelivery(string Trigger, string? EventId, string? Status = null, int? StatusCode = null, int Attempts = 0);

/// <summary>A queued Space Cloud event as recorded for reading back: its id, type, when it was queued and its deliveries.</summary>
public sealed record QueuedEvent(string Id, string Type, DateTimeOffset QueuedAt, IReadOnlyList<QueuedDelivery> Deliveries);

/// <summary>Queued events in Redis, one JSON string per event under <c>{serviceId}/spacecloud/{project}/events/{id}</c>.</summary>
public sealed class QueuedEventStore(IConnectionMultiplexer redis, ClusterIdentity identity)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private IDatabase Db => redis.GetDatabase();

    private RedisKey Key(string project, string id) => $"{identity.ServiceId}/spacecloud/{project}/events/{id}";

    public Task AddAsync(string project, QueuedEvent queued) =>
        Db.StringSetAsync(Key(project, queued.Id), JsonSerializer.Serialize(queued, Json));

    public async Task<QueuedEvent?> GetAsync(string project, string id)
    {
        var json = await Db.StringGetAsync(Key(project, id));
        return json.IsNull ? null : JsonSerializer.Deserialize<QueuedEvent>(json.ToString(), Json);
    }
}
