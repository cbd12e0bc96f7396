using Eventd.Grains.Buckets;
using Eventd.Grains.Channels;
using Eventd.Grains.Delivery;
using Eventd.Grains.Endpoints;
using Eventd.Grains.EventLog;
using Eventd.Grains.Events;
using Eventd.Grains.Flow;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Options;
using Eventd.Grains.Ordering;
using Eventd.Grains.Retention;
using Eventd.Grains.Signing;
using Eventd.Grains.Storage;
using Eventd.Grains.Telemetry;
using Eventd.Grains.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Eventd.Grains.Hosting;

public static class GrainServiceCollectionExtensions
{
    /// <summary>
    /// The services the grains need: delivery options, the guarded webhook HTTP client, the
    /// sender, the channel publisher and the metrics. The host supplies <c>IConnectionMultiplexer</c>.
    /// </summary>
    public static IServiceCollection AddEventdGrainServices(this IServiceCollection services)
    {
        services.AddOptions<DeliveryOptions>()
            .BindConfiguration(DeliveryOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<EventLogOptions>()
            .BindConfiguration(EventLogOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<ScheduleOptions>()
            .BindConfiguration(ScheduleOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<RetentionOptions>()
            .BindConfiguration(RetentionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddMetrics();
        services.AddSingleton<EventdMetrics>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<EventLogIndex>();
        foreach (var clock in GrainClocks.All)
        {
            services.AddKeyedSingleton(clock, (provider, _) => provider.GetRequiredService<TimeProvider>());
        }

        services.AddSingleton<ConfiguredSigning>();
        services.AddSingleton(provider =>
        {
            var grains = provider.GetRequiredService<IGrainFactory>();
            return new ProjectSigningCache(
                provider.GetRequiredService<ConfiguredSigning>(),
                project => grains.GetGrain<IProjectSecretsGrain>(project).Signing(),
                provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<EndpointGate>();
        services.AddSingleton<EndpointIndex>();
        services.AddSingleton<FlowControlIndex>();
        services.AddSingleton<ExpectedFireStore>();
        services.AddSingleton<FirstStates>();
        services.AddSingleton<FirstAttempt>();
        services.AddSingleton<RetryPipelines>();
        services.AddSingleton<EventStatusIndex>();
        services.AddSingleton<BucketStore>();
        services.AddSingleton(provider =>
        {
            var grains = provider.GetRequiredService<IGrainFactory>();
            return new ArmedBuckets(bucket => grains.GetGrain<IEventBucketGrain>(bucket.ToString()).Arm(), provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<BucketPlacement>();
        services.AddSingleton<EventMembership>();
        services.AddSingleton<FireHandOff>();
        services.AddSingleton<DeadLetterIndex>();
        services.AddSingleton<ExpiringEvents>();
        services.AddSingleton<ExpiringDeadLetters>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, RetentionSweepStart>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, LostSiloRecovery>();
        services.AddSingleton<WebhookIndex>();
        services.AddSingleton<IChannelPublisher, RedisChannelPublisher>();
        services.AddHttpClient(WebhookSender.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                ConnectCallback = NetworkGuard.ConnectCallback(provider.GetRequiredService<IOptions<DeliveryOptions>>().Value.AllowPrivateNetworks),
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                MaxConnectionsPerServer = 256,
            })
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)

            // Every attempt is logged by the delivery grain already; the factory's own two log
            // scopes per request cost a few per cent of a busy silo.
            .RemoveAllLoggers();
        return services;
    }
}
