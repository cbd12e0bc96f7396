using System.Security.Cryptography;
using System.Text.Json;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Keys;

namespace Eventd.Tests.Grains;

/// <summary>
/// Project keys in grains: the directory that owns the names and the key grains that hold each key. Each
/// test uses a directory of its own (any key works like the service's one), so tests see only their names.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ApiKeyGrainTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.Client;

    private IApiKeyDirectoryGrain NewDirectory() => Grains.GetGrain<IApiKeyDirectoryGrain>(Random.Shared.NextInt64(1, long.MaxValue));

    private IApiKeyGrain Key(string hash) => Grains.GetGrain<IApiKeyGrain>(hash);

    /// <summary>What the gateway sends: a secret's SHA-256 as 64 hex characters.</summary>
    private static string NewHash() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static NewApiKey NewKey(string name, string project = "shop", string environment = "production") =>
        new(name, project, environment, NewHash());

    /// <summary>Stores a directory state as a create that died after reserving <paramref name="key"/> left it.</summary>
    private Task PlantReservationAsync(IApiKeyDirectoryGrain directory, NewApiKey key) =>
        fixture.Storage.WriteStateAsync(
            ApiKeyDirectoryState.Name,
            directory.GetGrainId(),
            new GrainState<ApiKeyDirectoryState>(new ApiKeyDirectoryState { Keys = { [key.Name] = ApiKeyEntry.Reserve(key, DateTimeOffset.UtcNow) } }));

    [Fact]
    public async Task A_created_key_authenticates_as_its_name_project_and_environment()
    {
        var directory = NewDirectory();
        var key = NewKey("ci", "shop", "staging");

        Assert.True(await directory.Create(key));

        var found = await Key(key.SecretHash).Authenticate();
        Assert.NotNull(found);
        Assert.Equal(("ci", "shop", "staging"), (found.Name, found.Project, found.Environment));
        Assert.True(DateTimeOffset.UtcNow - found.CreatedAt < TimeSpan.FromMinutes(1));
        Assert.Null(await Key(NewHash()).Authenticate());
    }

    [Fact]
    public async Task A_name_in_use_is_refused_and_its_key_keeps_working()
    {
        var directory = NewDirectory();
        var first = NewKey("ci", "shop");
        var second = NewKey("ci", "other");
        await directory.Create(first);

        Assert.False(await directory.Create(second));

        Assert.Equal("shop", (await Key(first.SecretHash).Authenticate())?.Project);
        Assert.Null(await Key(second.SecretHash).Authenticate());
        Assert.Equal("shop", Assert.Single(await directory.List()).Project);
    }

    [Fact]
    public async Task A_revoked_key_stops_authenticating_and_frees_its_name()
    {
        var directory = NewDirectory();
        var old = NewKey("ci");
        await directory.Create(old);

        Assert.True(await directory.Revoke("ci"));

        Assert.Null(await Key(old.SecretHash).Authenticate());
        Assert.Empty(await directory.List());
        Assert.False(await directory.Revoke("ci"));
        var replacement = NewKey("ci", "other");
        Assert.True(await directory.Create(replacement));
        Assert.Equal("other", (await Key(replacement.SecretHash).Authenticate())?.Project);
        Assert.Null(await Key(old.SecretHash).Authenticate());
    }

    [Fact]
    public async Task The_list_shows_every_name_in_order_without_secrets_or_hashes()
    {
        var directory = NewDirectory();
        var keys = new[] { NewKey("b-key", "shop", "staging"), NewKey("A-key", "billing"), NewKey("a-key", "shop") };
        foreach (var key in keys)
        {
            await directory.Create(key);
        }

        var listed = await directory.List();

        Assert.Equal(["A-key", "a-key", "b-key"], listed.Select(k => k.Name));
        Assert.Equal(("shop", "staging"), (listed[2].Project, listed[2].Environment));
        var wire = JsonSerializer.Serialize(listed);
        Assert.All(keys, key => Assert.DoesNotContain(key.SecretHash, wire, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_reservation_whose_key_was_never_issued_is_freed_and_a_late_issue_is_refused()
    {
        var directory = NewDirectory();
        var crashed = NewKey("ci");
        await PlantReservationAsync(directory, crashed);

        Assert.Empty(await directory.List());

        Assert.False(await Key(crashed.SecretHash).Issue(new ApiKey("ci", "shop", "production", DateTimeOffset.UtcNow)));
        Assert.Null(await Key(crashed.SecretHash).Authenticate());
        var retried = NewKey("ci");
        Assert.True(await directory.Create(retried));
        Assert.NotNull(await Key(retried.SecretHash).Authenticate());
    }

    [Fact]
    public async Task A_reservation_whose_key_was_issued_is_confirmed_and_keeps_its_name()
    {
        var directory = NewDirectory();
        var crashed = NewKey("ci");
        await PlantReservationAsync(directory, crashed);
        Assert.True(await Key(crashed.SecretHash).Issue(new ApiKey("ci", "shop", "production", DateTimeOffset.UtcNow)));

        Assert.False(await directory.Create(NewKey("ci", "other")));

        Assert.Equal("shop", Assert.Single(await directory.List()).Project);
        Assert.Equal("ci", (await Key(crashed.SecretHash).Authenticate())?.Name);
    }

    [Fact]
    public async Task A_revoke_repeated_after_its_key_was_stopped_frees_the_name()
    {
        var directory = NewDirectory();
        var key = NewKey("ci");
        await directory.Create(key);

        // As a revoke that died after stopping the key and before freeing the name leaves things.
        await Key(key.SecretHash).Revoke();
        Assert.Null(await Key(key.SecretHash).Authenticate());
        Assert.Single(await directory.List());

        Assert.True(await directory.Revoke("ci"));
        Assert.Empty(await directory.List());
    }
}
