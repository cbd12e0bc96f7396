using System.Threading.Channels;
using StackExchange.Redis;

namespace Eventd.Gateway.Channels;

/// <summary>
/// Fans the pub/sub messages of a channel out to this gateway's SSE listeners, over one Redis
/// subscription per channel that has listeners: made when the first arrives, dropped when the last leaves.
/// </summary>
public sealed partial class ChannelHub(IConnectionMultiplexer redis, ILogger<ChannelHub> logger)
{
    /// <summary>Messages a listener may fall behind by; past that it loses its oldest, so it never holds up the others.</summary>
    public const int ListenerCapacity = 256;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);

    /// <summary>Joins a channel; completes once Redis has confirmed the subscription, so no later fire is missed.</summary>
    public async Task<ChannelListener> ListenAsync(string channel, CancellationToken cancellationToken)
    {
        var listener = new ChannelListener(this, channel, OnDropped);
        Subscription? subscription;
        bool isNew;
        lock (_gate)
        {
            isNew = !_subscriptions.TryGetValue(channel, out subscription);
            if (isNew)
            {
                subscription = new Subscription(channel);
                _subscriptions.Add(channel, subscription);
            }

            subscription!.Add(listener);
        }

        if (isNew)
        {
            _ = OpenAsync(subscription);
        }

        try
        {
            await subscription.Ready.WaitAsync(cancellationToken);
            return listener;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            await listener.DisposeAsync();
            throw new ChannelsUnavailableException(ex);
        }
        catch
        {
            await listener.DisposeAsync();
            throw;
        }
    }

    internal async ValueTask LeaveAsync(ChannelListener listener)
    {
        Subscription? emptied = null;
        lock (_gate)
        {
            if (_subscriptions.TryGetValue(listener.Name, out var subscription) && subscription.Remove(listener) && subscription.IsEmpty)
            {
                _subscriptions.Remove(listener.Name);
                emptied = subscription;
            }
        }

        if (emptied is not null)
        {
            await CloseAsync(emptied);
        }
    }

    // Never throws: the outcome goes to every listener waiting on Ready.
    private async Task OpenAsync(Subscription subscription)
    {
        try
        {
            var queue = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(subscription.Channel));
            // The queue hands messages over one at a time, in the order Redis sent them.
            queue.OnMessage(message => subscription.Fan(message.Message));
            LogSubscribed(logger, subscription.Channel);
            subscription.Opened(queue);
        }
        catch (Exception ex)
        {
            LogSubscribeFailed(logger, ex, subscription.Channel);
            await ForgetAsync(subscription.Channel);
            lock (_gate)
            {
                // Forget it, so the next listener tries again rather than joining a dead subscription.
                if (_subscriptions.TryGetValue(subscription.Channel, out var current) && current == subscription)
                {
                    _subscriptions.Remove(subscription.Channel);
                }
            }

            subscription.Failed(ex);
        }
    }

    // A failed SUBSCRIBE still leaves its (unreachable) queue registered in the multiplexer, which
    // would subscribe it again on reconnect and buffer its messages forever. While the failed entry is
    // still in the table no live subscription of this channel can exist beside it, so the whole channel goes.
    private async Task ForgetAsync(string channel)
    {
        try
        {
            await redis.GetSubscriber().UnsubscribeAsync(RedisChannel.Literal(channel), null, CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogUnsubscribeFailed(logger, ex, channel);
        }
    }

    // A newer subscription to the same channel may already be open: unsubscribing this queue removes
    // only this queue's handler, and Redis is told UNSUBSCRIBE only when no queue of the channel is left.
    private async Task CloseAsync(Subscription subscription)
    {
        // A subscription that failed to open has nothing to close (and its failure is logged already).
        await ((Task)subscription.Ready).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!subscription.Ready.IsCompletedSuccessfully)
        {
            return;
        }

        try
        {
            await subscription.Ready.Result.UnsubscribeAsync();
            LogUnsubscribed(logger, subscription.Channel);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogUnsubscribeFailed(logger, ex, subscription.Channel);
        }
    }

    private void OnDropped(string channel) => LogListenerTooSlow(logger, channel, ListenerCapacity);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Subscribed to channel {Channel}")]
    private static partial void LogSubscribed(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Unsubscribed from channel {Channel}")]
    private static partial void LogUnsubscribed(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribing to channel {Channel} failed")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unsubscribing from channel {Channel} failed")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A listener on channel {Channel} fell {Capacity} messages behind; it now loses its oldest")]
    private static partial void LogListenerTooSlow(ILogger logger, string channel, int capacity);

    /// <summary>One Redis subscription and the listeners it feeds.</summary>
    private sealed class Subscription(string channel)
    {
        private readonly TaskCompletionSource<ChannelMessageQueue> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

        // Replaced, never changed in place (under the hub's lock), so Fan reads it without one.
        private volatile ChannelListener[] _listeners = [];

        public string Channel { get; } = channel;
        public Task<ChannelMessageQueue> Ready => _ready.Task;
        public bool IsEmpty => _listeners.Length == 0;

        public void Add(ChannelListener listener) => _listeners = [.. _listeners, listener];

        public bool Remove(ChannelListener listener)
        {
            var before = _listeners;
            _listeners = Array.FindAll(before, l => l != listener);
            return _listeners.Length < before.Length;
        }

        public void Opened(ChannelMessageQueue queue) => _ready.TrySetResult(queue);
        public void Failed(Exception exception) => _ready.TrySetException(exception);

        public void Fan(RedisValue message)
        {
            if (message.IsNull)
            {
                return;
            }

            var text = message.ToString();
            foreach (var listener in _listeners)
            {
                listener.Offer(text);
            }
        }
    }
}

/// <summary>One SSE client's place on a channel: the messages waiting for it. Dispose to leave.</summary>
public sealed class ChannelListener : IAsyncDisposable
{
    private readonly ChannelHub _hub;
    private readonly Channel<string> _messages;
    private int _warned;
    private int _left;

    internal ChannelListener(ChannelHub hub, string name, Action<string> onFirstDrop)
    {
        _hub = hub;
        Name = name;
        _messages = Channel.CreateBounded<string>(
            new BoundedChannelOptions(ChannelHub.ListenerCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            _ =>
            {
                if (Interlocked.Exchange(ref _warned, 1) == 0)
                {
                    onFirstDrop(name);
                }
            });
    }

    public string Name { get; }
    public ChannelReader<string> Messages => _messages.Reader;

    internal void Offer(string message) => _messages.Writer.TryWrite(message);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _left, 1) == 0)
        {
            _messages.Writer.TryComplete();
            await _hub.LeaveAsync(this);
        }
    }
}
