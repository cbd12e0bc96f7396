namespace Eventd.IntegrationTests;

/// <summary>One running Eventd whose gateway has an admin key, shared by the tests of keys and of the event log.</summary>
public sealed class KeyedClusterFixture : IAsyncLifetime
{
    public const string AdminKey = "test-admin-key-5f0c1e2d9a8b7c6d";

    public EventdCluster Eventd { get; } = new(adminKey: AdminKey);

    public Task InitializeAsync() => Eventd.StartAsync();

    public async Task DisposeAsync() => await Eventd.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class KeyedClusterCollection : ICollectionFixture<KeyedClusterFixture>
{
    public const string Name = "keyed cluster";
}
