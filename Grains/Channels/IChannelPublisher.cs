namespace Eventd.Grains.Channels;

/// <summary>Publishes fires to pub/sub channels.</summary>
public interface IChannelPublisher
{
    Task PublishAsync(string channel, string message);
}
