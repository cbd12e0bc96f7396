using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace Eventd.Grains.Interfaces.Hosting;

public static class RedisConfiguration
{
    public const string Key = "Redis:ConnectionString";
    public const string Default = "127.0.0.1:6379";

    /// <summary>
    /// The <c>Redis:ConnectionString</c> setting, parsed. Connection failures do not abort: the
    /// multiplexer keeps reconnecting, so a Redis restart does not take the process down.
    /// </summary>
    public static ConfigurationOptions From(IConfiguration configuration)
    {
        var options = ConfigurationOptions.Parse(configuration[Key] is { Length: > 0 } value ? value : Default);
        options.AbortOnConnectFail = false;
        return options;
    }
}
