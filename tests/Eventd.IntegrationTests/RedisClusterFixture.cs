using Eventd.TestSupport;

namespace Eventd.IntegrationTests;

/// <summary>One running Eventd (one silo, the gateway) on a real three-master Redis Cluster, shared by the Redis Cluster tests.</summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    public RedisClusterServer Redis { get; } = new(masters: 3);

    public EventdCluster Eventd { get; }

    public RedisClusterFixture() => Eventd = new EventdCluster(redis: Redis);

    public Task InitializeAsync() => Eventd.StartAsync();

    public async Task DisposeAsync() => await Eventd.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterFixture>
{
    public const string Name = "redis cluster";
}
