namespace Eventd.IntegrationTests;

/// <summary>One running Eventd (Redis, one silo, the gateway) shared by the API tests.</summary>
public sealed class SharedClusterFixture : IAsyncLifetime
{
    public EventdCluster Eventd { get; } = new();

    public Task InitializeAsync() => Eventd.StartAsync();

    public async Task DisposeAsync() => await Eventd.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SharedClusterCollection : ICollectionFixture<SharedClusterFixture>
{
    public const string Name = "shared cluster";
}
