using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Eventd.Grains.Flow;

/// <summary>
/// The names of a project's flow-control keys, one Redis set per project (one key, so one Cluster slot),
/// written by each key grain when its limits are first stored, read for the console's list.
/// </summary>
public sealed class FlowControlIndex(IConnectionMultiplexer redis, IOptions<ClusterOptions> cluster)
{
    private readonly string _serviceId = cluster.Value.ServiceId;

    private IDatabase Db => redis.GetDatabase();

    private string ProjectKey(string project) => $"{{{_serviceId}/flowcontrol/{project}}}/keys";

    public Task AddAsync(string project, string key) => Db.SetAddAsync(ProjectKey(project), key);

    public async Task<IReadOnlyList<string>> ListAsync(string project) =>
        [.. (await Db.SetMembersAsync(ProjectKey(project))).Select(member => member.ToString()).Order(StringComparer.Ordinal)];
}
