using Eventd.Grains.Delivery;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Eventd.Tests.Grains;

/// <summary>
/// The one mechanism that writes a grain's state without the grain (<see cref="FirstStates"/>), against
/// the real Redis grain storage: a first state is stored, never one over a state the grain has.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class FirstStatesTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.Client;

    private FirstStates FirstStates => fixture.SiloServices.GetRequiredService<FirstStates>();

    private static WebhookDeliveryState Record(string eventId, int statusCode) => new()
    {
        Request = new WebhookRequest
        {
            EventId = eventId,
            Seq = 1,
            Target = DeliveryKeys.Webhook,
            Webhook = new WebhookTarget { Url = "http://127.0.0.1:9/never" },
            Project = "default",
        },
        Attempts = [new DeliveryAttempt { Seq = 1, Attempt = 1, At = DateTimeOffset.UtcNow, StatusCode = statusCode, DurationMs = 5 }],
    };

    [Fact]
    public async Task A_first_state_is_stored_in_redis_and_read_by_its_grain_on_activation()
    {
        var id = Events.NewId();
        var delivery = Grains.GetGrain<IWebhookDeliveryGrain>(DeliveryKeys.For(id, 1, DeliveryKeys.Webhook));

        Assert.True(await FirstStates.TryWriteAsync(WebhookDeliveryState.Name, delivery.GetGrainId(), Record(id, 200)));

        var keys = await AllKeysAsync($"*/state/webhookdelivery/{id}/1/webhook/delivery");
        Assert.Single(keys);
        Assert.Equal(200, Assert.Single(await delivery.GetAttempts()).StatusCode);
    }

    [Fact]
    public async Task A_second_first_state_is_refused_and_the_first_stands()
    {
        var id = Events.NewId();
        var grain = Grains.GetGrain<IWebhookDeliveryGrain>(DeliveryKeys.For(id, 1, DeliveryKeys.Webhook)).GetGrainId();

        Assert.True(await FirstStates.TryWriteAsync(WebhookDeliveryState.Name, grain, Record(id, 200)));
        Assert.False(await FirstStates.TryWriteAsync(WebhookDeliveryState.Name, grain, Record(id, 500)));

        var attempts = await Grains.GetGrain<IWebhookDeliveryGrain>(DeliveryKeys.For(id, 1, DeliveryKeys.Webhook)).GetAttempts();
        Assert.Equal(200, Assert.Single(attempts).StatusCode);
    }

    private async Task<List<RedisKey>> AllKeysAsync(string pattern)
    {
        var server = fixture.RedisClient.GetServers().Single();
        var keys = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: pattern))
        {
            keys.Add(key);
        }

        return keys;
    }
}
