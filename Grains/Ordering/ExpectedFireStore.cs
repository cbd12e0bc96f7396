using System.Globalization;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Eventd.Grains.Ordering;

/// <summary>
/// The expected fires of an ordering key (see <see cref="ExpectedFires"/>), persisted by its grain alone: one
/// Redis hash per key (one key, so one Cluster slot), field the event id, value its due and creation ticks.
/// A hash, not the grain's state: an event told or forgotten writes one field, whatever the key holds.
/// </summary>
public sealed class ExpectedFireStore(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster)
{
    private readonly string _serviceId = cluster.Value.ServiceId;

    private IDatabase Db => redis.GetDatabase();

    private RedisKey Key(string orderingGrainKey) => $"{{{_serviceId}/ordering/{orderingGrainKey}}}/expected";

    public async Task<IReadOnlyList<ExpectedFire>> LoadAsync(string orderingGrainKey)
    {
        var entries = await Db.HashGetAllAsync(Key(orderingGrainKey));
        var fires = new List<ExpectedFire>(entries.Length);
        foreach (var entry in entries)
        {
            if (Parse(entry.Name.ToString(), entry.Value.ToString()) is { } fire)
            {
                fires.Add(fire);
            }
        }

        return fires;
    }

    public Task SetAsync(string orderingGrainKey, IReadOnlyList<ExpectedFire> fires) =>
        Db.HashSetAsync(Key(orderingGrainKey), [.. fires.Select(fire => new HashEntry(fire.EventId, Format(fire)))]);

    public Task RemoveAsync(string orderingGrainKey, string eventId) => Db.HashDeleteAsync(Key(orderingGrainKey), eventId);

    private static string Format(ExpectedFire fire) =>
        string.Create(CultureInfo.InvariantCulture, $"{fire.DueAt.UtcTicks}:{fire.CreatedAt.UtcTicks}");

    private static ExpectedFire? Parse(string eventId, string value)
    {
        var parts = value.Split(':');
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var due)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var created)
            ? new ExpectedFire(eventId, new DateTimeOffset(due, TimeSpan.Zero), new DateTimeOffset(created, TimeSpan.Zero))
            : null;
    }
}
