namespace Eventd.IntegrationTests;

/// <summary>
/// A cluster whose retention is short enough to watch (API.md "Retention"): settled events are kept 3 s,
/// dead letters 8 s, and what expired leaves the lists within half a second.
/// </summary>
public sealed class RetentionClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan Settled = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan DeadLetters = TimeSpan.FromSeconds(8);

    public EventdCluster Eventd { get; } = new(new Dictionary<string, string>
    {
        ["Eventd__Retention__Settled"] = Settled.ToString("c"),
        ["Eventd__Retention__DeadLetters"] = DeadLetters.ToString("c"),
        ["Eventd__Retention__SweepEvery"] = "00:00:00.500",
    });

    public Task InitializeAsync() => Eventd.StartAsync();

    public async Task DisposeAsync() => await Eventd.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class RetentionClusterCollection : ICollectionFixture<RetentionClusterFixture>
{
    public const string Name = "retention cluster";
}
