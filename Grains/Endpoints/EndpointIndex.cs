using System.Text.Json;
using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Eventd.Grains.Endpoints;

/// <summary>
/// The endpoint index the health grains write with their state and <see cref="EndpointListGrain"/> reads:
/// per project one hash, field the origin, value the endpoint's view as JSON (listing is one read, no grain
/// calls); and one set of every project's disabled endpoints, for the gauge. Each is one key, so each
/// write stays in one Redis Cluster slot; both are written again on every change (only state changes and
/// batched failures are reported, so that is rare), which heals an entry a crash left behind.
/// </summary>
public sealed class EndpointIndex(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _serviceId = cluster.Value.ServiceId;

    private IDatabase Db => redis.GetDatabase();

    public string ProjectKey(string project) => $"{{{_serviceId}/endpoints/{project}}}/views";

    public string DisabledKey => $"{{{_serviceId}/endpoints}}/disabled";

    public async Task WriteAsync(string project, EndpointView view)
    {
        var member = EndpointOrigin.Key(project, view.Origin);
        await Task.WhenAll(
            Db.HashSetAsync(ProjectKey(project), view.Origin, JsonSerializer.Serialize(view, Json)),
            view.Disabled ? Db.SetAddAsync(DisabledKey, member) : Db.SetRemoveAsync(DisabledKey, member));
    }

    public async Task<IReadOnlyList<EndpointView>> ListAsync(string project) =>
        [.. (await Db.HashGetAllAsync(ProjectKey(project)))
            .Select(entry => JsonSerializer.Deserialize<EndpointView>(entry.Value.ToString(), Json)!)
            .OrderBy(view => view.Origin, StringComparer.Ordinal)];

    public Task<long> DisabledCountAsync() => Db.SetLengthAsync(DisabledKey);
}
