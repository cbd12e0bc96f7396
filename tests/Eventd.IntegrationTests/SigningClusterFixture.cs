namespace Eventd.IntegrationTests;

/// <summary>
/// A cluster signing as an operator who rotates would configure it: two secrets (one in each spelling), an
/// ed25519 key, a 20 s rotation overlap so a test outlives it, and keys in use (an admin key).
/// </summary>
public sealed class SigningClusterFixture : IAsyncLifetime
{
    public const string AdminKey = "signing-admin-key-7d1e0c2b3a4f5e6d";

    /// <summary>Beside <see cref="EventdCluster.SigningSecret"/>, which every cluster of the tests configures.</summary>
    public const string SecondSecret = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    /// <summary>RFC 8032's first test seed, as a <c>whsk_</c> key.</summary>
    public const string SigningKey = "whsk_nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";

    public static readonly TimeSpan RotationOverlap = TimeSpan.FromSeconds(20);

    public EventdCluster Eventd { get; } = new(
        new Dictionary<string, string>
        {
            ["Eventd__Delivery__SigningSecrets__0"] = SecondSecret,
            ["Eventd__Delivery__SigningKey"] = SigningKey,
            ["Eventd__Delivery__RotationOverlap"] = RotationOverlap.ToString("c"),
        },
        adminKey: AdminKey);

    public Task InitializeAsync() => Eventd.StartAsync();

    public async Task DisposeAsync() => await Eventd.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SigningClusterCollection : ICollectionFixture<SigningClusterFixture>
{
    public const string Name = "signing cluster";
}
