using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Eventd.Grains.Channels;

/// <summary>A channel fire is a Redis <c>PUBLISH</c>; gateways fan it out to their SSE clients.</summary>
public sealed partial class RedisChannelPublisher(IConnectionMultiplexer redis, ILogger<RedisChannelPublisher> logger) : IChannelPublisher
{
    public async Task PublishAsync(string channel, string message)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), message);
        }
        catch (RedisException ex)
        {
            // Pub/sub is fire-and-forget by nature: a subscriber that is not listening now never
            // sees the message either. The fire itself is already persisted.
            LogPublishFailed(logger, ex, channel);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing to channel {Channel} failed")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string channel);
}
