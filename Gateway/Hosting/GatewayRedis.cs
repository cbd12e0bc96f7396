using StackExchange.Redis;

namespace Eventd.Gateway.Hosting;

/// <summary>
/// The gateway's use of the <c>Redis:ConnectionString</c> the silos read too: the cluster's membership
/// (to find the silos), the channels' pub/sub and the readiness probe. Nothing durable.
/// </summary>
public static class GatewayRedis
{
    public const string Key = "Redis:ConnectionString";

    public static ConfigurationOptions From(IConfiguration configuration)
    {
        var options = ConfigurationOptions.Parse(configuration[Key] is { Length: > 0 } value ? value : "127.0.0.1:6379");

        // A Redis that is down (or restarting) is answered with 503s and /readyz, not a process that will not start.
        options.AbortOnConnectFail = false;
        return options;
    }
}
