using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace Eventd.Grains.Hosting;

/// <summary>The silo's Redis connection settings, shared by clustering, grain storage, reminders and the grains' own indexes.</summary>
public static class RedisConfiguration
{
    public const string Key = "Redis:ConnectionString";
    public const string Default = "127.0.0.1:6379";

    /// <summary>
    /// The <c>Redis:ConnectionString</c> setting, parsed. Connection failures do not abort: the
    /// multiplexer keeps reconnecting, so a Redis restart does not take the process down. Replies are
    /// read on the .NET thread pool.
    /// </summary>
    public static ConfigurationOptions From(IConfiguration configuration)
    {
        var options = ConfigurationOptions.Parse(configuration[Key] is { Length: > 0 } value ? value : Default);
        options.AbortOnConnectFail = false;

        // The default socket manager keeps ten dedicated threads per process that wake one another
        // for every reply; on a small machine those context switches were a fifth of the silo's CPU.
        // Every Redis call here is awaited, never blocked on, so the thread pool serves replies safely.
        options.SocketManager = SocketManager.ThreadPool;
        return options;
    }
}
