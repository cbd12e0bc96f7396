using Eventd.Grains.Interfaces;
using Eventd.Grains.Triggers;

namespace Eventd.Tests.Grains;

/// <summary>
/// A project's Space Cloud triggers in its registry grain. Each test uses projects of its own, so it sees
/// only its triggers.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TriggerRegistryGrainTests(ClusterFixture fixture)
{
    private ITriggerRegistryGrain NewRegistry() => fixture.Cluster.Client.GetGrain<ITriggerRegistryGrain>($"p{Guid.NewGuid():N}");

    private static SpaceCloudTrigger Trigger(string name, string type = "sent-email", int retries = 3) =>
        new(name, type, $"https://example.com/{name}", retries, 5000);

    /// <summary>What the registry's storage holds (the Redis state in a silo), read past the grain; null when nothing.</summary>
    private async Task<TriggerRegistryState?> StoredAsync(ITriggerRegistryGrain registry)
    {
        var stored = new GrainState<TriggerRegistryState>(new TriggerRegistryState());
        await fixture.Storage.ReadStateAsync(TriggerRegistryState.Name, registry.GetGrainId(), stored);
        return stored.RecordExists ? stored.State : null;
    }

    [Fact]
    public async Task Created_triggers_are_listed_by_name_as_given_and_stored()
    {
        var registry = NewRegistry();
        var audit = new SpaceCloudTrigger("audit", "sent-email", "https://example.com/b", 0, 1000);

        await registry.Set(Trigger("mailer"));
        await registry.Set(audit);
        await registry.Set(Trigger("Zed"));

        Assert.Equal(["Zed", "audit", "mailer"], (await registry.List()).Select(t => t.Id));
        Assert.Equal(audit, (await registry.List())[1]);
        var stored = await StoredAsync(registry);
        Assert.NotNull(stored);
        Assert.Equal(["Zed", "audit", "mailer"], stored.Triggers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(audit, stored.Triggers["audit"]);
    }

    [Fact]
    public async Task Setting_a_name_again_replaces_its_trigger_and_keeps_one()
    {
        var registry = NewRegistry();
        await registry.Set(Trigger("mailer", "sent-email"));

        await registry.Set(Trigger("mailer", "bounced", retries: 7));

        Assert.Equal(Trigger("mailer", "bounced", retries: 7), Assert.Single(await registry.List()));
        Assert.Empty(await registry.Match("sent-email"));
        Assert.Single(await registry.Match("bounced"));
    }

    [Fact]
    public async Task Delete_removes_a_trigger_once_and_the_last_one_leaves_nothing_stored()
    {
        var registry = NewRegistry();
        await registry.Set(Trigger("mailer"));
        await registry.Set(Trigger("audit"));

        Assert.True(await registry.Delete("mailer"));
        Assert.False(await registry.Delete("mailer"));

        Assert.Equal([Trigger("audit")], await registry.List());
        Assert.Equal([Trigger("audit")], await registry.Match("sent-email"));
        Assert.True(await registry.Delete("audit"));
        Assert.Empty(await registry.List());
        Assert.Null(await StoredAsync(registry));
        Assert.False(await NewRegistry().Delete("audit"));
    }

    [Fact]
    public async Task Match_returns_only_the_triggers_of_that_type_by_name()
    {
        var registry = NewRegistry();
        await registry.Set(Trigger("second", "sent-email"));
        await registry.Set(Trigger("other", "bounced"));
        await registry.Set(Trigger("first", "sent-email"));
        await registry.Set(Trigger("cased", "Sent-Email"));

        Assert.Equal(["first", "second"], (await registry.Match("sent-email")).Select(t => t.Id));
        Assert.Equal([Trigger("other", "bounced")], await registry.Match("bounced"));
        Assert.Empty(await registry.Match("opened"));
    }

    [Fact]
    public async Task Projects_keep_their_triggers_apart()
    {
        var (shop, billing) = (NewRegistry(), NewRegistry());
        await shop.Set(Trigger("mailer", "sent-email"));
        await billing.Set(Trigger("mailer", "paid"));

        Assert.False(await billing.Delete("audit"));
        Assert.Empty(await billing.Match("sent-email"));
        Assert.Equal("paid", Assert.Single(await billing.List()).Type);
        Assert.True(await shop.Delete("mailer"));
        Assert.Equal("paid", Assert.Single(await billing.Match("paid")).Type);
        Assert.Empty(await shop.List());
    }
}
