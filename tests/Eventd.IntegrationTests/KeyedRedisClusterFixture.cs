using Eventd.TestSupport;

namespace Eventd.IntegrationTests;

/// <summary>
/// One running Eventd whose gateway has an admin key, on a three-master Redis Cluster of its own: the
/// <see cref="RedisClusterFixture"/>'s cluster is restarted by its tests while other collections run, and
/// two Eventd services on one Redis would share the membership and grain state of one service id.
/// </summary>
public sealed class KeyedRedisClusterFixture : IAsyncLifetime
{
    public RedisClusterServer Redis { get; } = new(masters: 3);

    public EventdCluster Eventd { get; }

    public KeyedRedisClusterFixture() => Eventd = new EventdCluster(adminKey: KeyedClusterFixture.AdminKey, redis: Redis);

    public Task InitializeAsync() => Eventd.StartAsync();

    public async Task DisposeAsync() => await Eventd.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class KeyedRedisClusterCollection : ICollectionFixture<KeyedRedisClusterFixture>
{
    public const string Name = "keyed redis cluster";
}
