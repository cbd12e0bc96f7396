namespace Eventd.Gateway.Channels;

/// <summary>Thrown when a channel cannot be subscribed to because Redis, which carries the channels, is unreachable.</summary>
public sealed class ChannelsUnavailableException(Exception inner) : Exception("the channels' Redis is unreachable", inner);
