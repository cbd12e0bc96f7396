using System.Net;
using System.Text.Json;
using Eventd.TestSupport;
using StackExchange.Redis;

namespace Eventd.IntegrationTests;

[Collection(SharedClusterCollection.Name)]
public sealed class ChannelStreamTests(SharedClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private EventdCluster Eventd => fixture.Eventd;

    [Fact]
    public async Task Stream_client_receives_the_fire_of_an_event_on_its_channel()
    {
        // ':' and '.' are allowed in names, and must survive the route.
        var channel = $"orders:{Guid.NewGuid():N}.created";
        await using var stream = await SseStream.OpenAsync(Eventd.GatewayUrl, channel);

        var id = await Eventd.CreateEventAsync(new { delay = 1, channel, data = new { order = 42, items = new[] { "a", "b" } } });
        var due = (await Eventd.ReadEventAsync(id)).GetProperty("nextFireAt").GetDateTimeOffset();
        var fire = await stream.NextAsync(Deadline);

        Assert.Equal($"{id}.1", fire.Id);
        var message = JsonDocument.Parse(fire.Data).RootElement;
        Assert.Equal(id, message.GetProperty("id").GetString());
        Assert.Equal(channel, message.GetProperty("channel").GetString());
        Assert.Equal(1, message.GetProperty("seq").GetInt32());
        var firedAt = message.GetProperty("firedAt").GetString()!;
        Assert.EndsWith("Z", firedAt);
        Assert.InRange(DateTimeOffset.Parse(firedAt), due, DateTimeOffset.UtcNow);
        Assert.Equal("""{"order":42,"items":["a","b"]}""", message.GetProperty("data").GetRawText());
    }

    [Fact]
    public async Task Two_stream_clients_and_a_redis_subscriber_all_receive_one_fire()
    {
        var channel = NewChannel();
        await using var first = await SseStream.OpenAsync(Eventd.GatewayUrl, channel);
        await using var second = await SseStream.OpenAsync(Eventd.GatewayUrl, channel);
        using var redis = await ConnectionMultiplexer.ConnectAsync(Eventd.Redis.ConnectionString);
        var subscriber = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(channel));

        var id = await Eventd.CreateEventAsync(new { delay = 1, channel, data = new { n = 7 } });
        var atFirst = await first.NextAsync(Deadline);
        var atSecond = await second.NextAsync(Deadline);
        using var timeout = new CancellationTokenSource(Deadline);
        var published = (string)(await subscriber.ReadAsync(timeout.Token)).Message!;

        Assert.Equal(published, atFirst.Data);
        Assert.Equal(published, atSecond.Data);
        Assert.Equal(id, JsonDocument.Parse(published).RootElement.GetProperty("id").GetString());
        Assert.Equal(7, JsonDocument.Parse(published).RootElement.GetProperty("data").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Channel_stays_subscribed_in_redis_until_its_last_stream_client_leaves()
    {
        var channel = NewChannel();
        var first = await SseStream.OpenAsync(Eventd.GatewayUrl, channel);
        await using var second = await SseStream.OpenAsync(Eventd.GatewayUrl, channel);
        Assert.Equal(1, await SubscriberCountAsync(channel)); // the gateway, as one Redis client

        await first.DisposeAsync();
        var id = await Eventd.CreateEventAsync(new { delay = 1, channel });
        Assert.Equal($"{id}.1", (await second.NextAsync(Deadline)).Id);

        await second.DisposeAsync();
        await Poll.UntilAsync(() => SubscriberCountAsync(channel), count => count == 0, Deadline, "the gateway to unsubscribe");
    }

    [Fact]
    public async Task Event_with_url_and_channel_calls_the_webhook_and_publishes()
    {
        var channel = NewChannel();
        var path = $"/both/{Guid.NewGuid():N}";
        await using var stream = await SseStream.OpenAsync(Eventd.GatewayUrl, channel);

        var id = await Eventd.CreateEventAsync(new { delay = 1, url = Eventd.Receiver.Url(path), channel, data = new { both = true } });
        var fire = await stream.NextAsync(Deadline);
        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count == 1, Deadline, "the webhook");

        Assert.Equal($"{id}.1", fire.Id);
        Assert.Equal("""{"both":true}""", JsonDocument.Parse(fire.Data).RootElement.GetProperty("data").GetRawText());
        var request = Eventd.Receiver.ReceivedOn(path)[0];
        Assert.Equal($"{id}.1", request.Header("webhook-id"));
        Assert.Equal("""{"both":true}""", request.Body);
    }

    [Theory]
    [InlineData("-starts-with-a-dash")]
    [InlineData("has%20a%20space")]
    [InlineData("slash%2Finside")]
    [InlineData("semi;colon")]
    public async Task Bad_channel_name_is_400_naming_channel(string channel)
    {
        using var response = await Eventd.Http.GetAsync($"/eventd/v1/channels/{channel}/stream");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.False(body.GetProperty("ok").GetBoolean());
        Assert.Equal("channel: must match ^[A-Za-z0-9][A-Za-z0-9:._-]{0,199}$", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Channel_name_over_200_characters_is_400()
    {
        using var response = await Eventd.Http.GetAsync($"/eventd/v1/channels/{new string('a', 201)}/stream");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("channel: ", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    private static string NewChannel() => $"test-{Guid.NewGuid():N}";

    private async Task<long> SubscriberCountAsync(string channel)
    {
        var reply = (RedisResult[])(await Eventd.RedisDb.ExecuteAsync("PUBSUB", "NUMSUB", channel))!;
        return (long)reply[1];
    }
}
