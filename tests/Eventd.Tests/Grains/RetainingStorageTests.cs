using Eventd.Grains.Delivery;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Storage;
using Orleans.Storage;
using StackExchange.Redis;

namespace Eventd.Tests.Grains;

/// <summary>
/// <see cref="RetainingRedisGrainStorage"/> against a real Redis: a settled state's key gets its expiry in the
/// write that settles it, an un-settled one loses it, and a key gone by expiry clears without a conflict.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RetainingStorageTests(ClusterFixture fixture)
{
    private IGrainStorage Storage => fixture.Storage;

    private IDatabase Redis => fixture.RedisClient.GetDatabase();

    [Fact]
    public async Task A_settled_state_expires_and_an_unsettled_one_is_kept()
    {
        var (grain, key) = Delivery();
        var state = new GrainState<WebhookDeliveryState>(new WebhookDeliveryState { Result = Delivered(DateTimeOffset.UtcNow) });

        await Storage.WriteStateAsync(WebhookDeliveryState.Name, grain, state);
        var ttl = await Redis.KeyTimeToLiveAsync(key);

        Assert.NotNull(ttl);
        Assert.InRange(ttl!.Value, TimeSpan.FromDays(6.9), TimeSpan.FromDays(7));

        state.State!.Result = null;
        await Storage.WriteStateAsync(WebhookDeliveryState.Name, grain, state);

        Assert.True(await Redis.KeyExistsAsync(key));
        Assert.Null(await Redis.KeyTimeToLiveAsync(key));
    }

    [Fact]
    public async Task A_state_stored_as_a_hash_before_states_were_strings_is_read_and_its_next_write_replaces_it()
    {
        var (grain, key) = Delivery();
        var oldEtag = Guid.NewGuid().ToString("N");
        await Redis.HashSetAsync(key, [new("etag", oldEtag), new("data", """{"attempts":[{"seq":1,"attempt":1,"statusCode":500}]}""")]);
        await Redis.KeyExpireAsync(key, TimeSpan.FromDays(1));

        var read = new GrainState<WebhookDeliveryState>();
        await Storage.ReadStateAsync(WebhookDeliveryState.Name, grain, read);
        Assert.Equal(oldEtag, read.ETag);
        Assert.Equal(500, Assert.Single(read.State!.Attempts).StatusCode);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(WebhookDeliveryState.Name, grain, new GrainState<WebhookDeliveryState>(new())));
        await Storage.WriteStateAsync(WebhookDeliveryState.Name, grain, read);

        Assert.Equal(RedisType.String, await Redis.KeyTypeAsync(key));
        Assert.Null(await Redis.KeyTimeToLiveAsync(key));
        var again = new GrainState<WebhookDeliveryState>();
        await Storage.ReadStateAsync(WebhookDeliveryState.Name, grain, again);
        Assert.Equal((read.ETag, 500), (again.ETag, Assert.Single(again.State!.Attempts).StatusCode));
        Assert.Equal(RetainingRedisGrainStorage.ETagLength, again.ETag!.Length);
    }

    [Fact]
    public async Task A_state_stored_as_a_hash_before_clears_with_its_etag_and_not_with_another()
    {
        var (grain, key) = Delivery();
        var oldEtag = Guid.NewGuid().ToString("N");
        await Redis.HashSetAsync(key, [new("etag", oldEtag), new("data", "{}")]);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync(WebhookDeliveryState.Name, grain, new GrainState<WebhookDeliveryState>(new()) { ETag = "someoneelses" }));
        Assert.True(await Redis.KeyExistsAsync(key));

        await Storage.ClearStateAsync(WebhookDeliveryState.Name, grain, new GrainState<WebhookDeliveryState>(new()) { ETag = oldEtag });
        Assert.False(await Redis.KeyExistsAsync(key));
    }

    [Fact]
    public async Task A_stale_etag_is_refused_and_the_stored_state_stands()
    {
        var (grain, key) = Delivery();
        var first = new GrainState<WebhookDeliveryState>(new WebhookDeliveryState());
        await Storage.WriteStateAsync(WebhookDeliveryState.Name, grain, first);
        var stale = new GrainState<WebhookDeliveryState>(new WebhookDeliveryState { Result = Delivered(DateTimeOffset.UtcNow) }) { ETag = first.ETag };
        await Storage.WriteStateAsync(WebhookDeliveryState.Name, grain, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(WebhookDeliveryState.Name, grain, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync(WebhookDeliveryState.Name, grain, stale));

        var read = new GrainState<WebhookDeliveryState>();
        await Storage.ReadStateAsync(WebhookDeliveryState.Name, grain, read);
        Assert.Equal(first.ETag, read.ETag);
        Assert.Null(read.State!.Result);
        Assert.Null(await Redis.KeyTimeToLiveAsync(key));
    }

    [Fact]
    public async Task A_state_settled_past_its_retention_is_gone_at_once()
    {
        var (grain, key) = Delivery();
        var state = new GrainState<WebhookDeliveryState>(new WebhookDeliveryState { Result = Delivered(DateTimeOffset.UtcNow.AddDays(-8)) });

        await Storage.WriteStateAsync(WebhookDeliveryState.Name, grain, state);

        Assert.False(await Redis.KeyExistsAsync(key));
        var read = new GrainState<WebhookDeliveryState>();
        await Storage.ReadStateAsync(WebhookDeliveryState.Name, grain, read);
        Assert.False(read.RecordExists);
    }

    [Fact]
    public async Task A_state_whose_key_expired_clears_but_a_stale_write_is_refused()
    {
        var (grain, key) = Delivery();
        var state = new GrainState<WebhookDeliveryState>(new WebhookDeliveryState());
        await Storage.WriteStateAsync(WebhookDeliveryState.Name, grain, state);
        var etag = state.ETag;
        await Redis.KeyDeleteAsync(key);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(WebhookDeliveryState.Name, grain, state));
        state.ETag = etag;
        await Storage.ClearStateAsync(WebhookDeliveryState.Name, grain, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
    }

    private (GrainId Grain, RedisKey Key) Delivery()
    {
        var grain = fixture.Cluster.Client.GetGrain<IWebhookDeliveryGrain>(DeliveryKeys.For(Events.NewId(), 1, DeliveryKeys.Webhook)).GetGrainId();
        return (grain, RetainingRedisGrainStorage.Key(fixture.Cluster.Options.ServiceId, grain, WebhookDeliveryState.Name));
    }

    private static DeliveryResult Delivered(DateTimeOffset at) => new() { Succeeded = true, Seq = 1, At = at };
}
