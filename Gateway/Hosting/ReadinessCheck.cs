using Eventd.Grains.Interfaces;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Eventd.Gateway.Hosting;

/// <summary>
/// Ready means a request could be served now: the gateway reaches Redis, and a grain call
/// round-trips through a silo (which itself reads Redis for the grain's state).
/// </summary>
public sealed class ReadinessCheck(ClusterConnection cluster, IConnectionMultiplexer redis) : IHealthCheck
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>A key no event can have (events are 32 hex characters): reading it changes nothing.</summary>
    private const string ProbeKey = "readiness-probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!cluster.IsStarted)
        {
            return HealthCheckResult.Unhealthy("the cluster has not been reached yet");
        }

        try
        {
            await redis.GetDatabase().PingAsync().WaitAsync(ProbeTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"redis: {ex.Message}");
        }

        try
        {
            await cluster.Client.GetGrain<IScheduledEventGrain>(ProbeKey).Get().WaitAsync(ProbeTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"cluster: {ex.Message}");
        }

        return HealthCheckResult.Healthy();
    }
}
