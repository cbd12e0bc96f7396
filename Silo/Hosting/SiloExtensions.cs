using System.Net;
using Eventd.Grains;
using Eventd.Grains.Buckets;
using Eventd.Grains.Hosting;
using Eventd.Grains.Storage;
using Eventd.Grains.Interfaces.Options;
using Eventd.Grains.Telemetry;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Orleans.Configuration;
using Orleans.Dashboard;
using StackExchange.Redis;

namespace Eventd.Silo.Hosting;

public static class SiloExtensions
{
    /// <summary>Configures this process as one silo of the cluster, with Redis underneath.</summary>
    public static WebApplicationBuilder AddEventdSilo(this WebApplicationBuilder builder)
    {
        var hostOptions = builder.Configuration.GetSection(OrleansHostOptions.Section).Get<OrleansHostOptions>() ?? new();
        builder.Services.AddOptions<OrleansHostOptions>()
            .BindConfiguration(OrleansHostOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Logging.ClearProviders().AddJsonConsole(o => o.JsonWriterOptions = new() { Indented = false });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        var metricsAddress = hostOptions.ListenOnAnyHostAddress ? IPAddress.Any : IPAddress.Parse(hostOptions.AdvertisedIP);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(metricsAddress, hostOptions.MetricsPort));

        // Membership, reminders, buckets, indexes and pub/sub share one Redis connection; grain state,
        // two round trips or more per event, has its own, so the two streams do not queue behind
        // one write lock.
        var redisOptions = RedisConfiguration.From(builder.Configuration);
        var redis = ConnectionMultiplexer.Connect(redisOptions);
        builder.Services.AddSingleton<IConnectionMultiplexer>(redis);
        Task<(IConnectionMultiplexer, bool)> Shared<T>(T _) => Task.FromResult<(IConnectionMultiplexer, bool)>((redis, true));
        var stateRedis = new Lazy<IConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(redisOptions));
        Task<(IConnectionMultiplexer, bool)> ForState<T>(T _) => Task.FromResult<(IConnectionMultiplexer, bool)>((stateRedis.Value, false));

        builder.Services.AddEventdGrainServices();
        builder.Services.AddHealthChecks();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(EventdMetrics.MeterName, "Microsoft.Orleans")
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        builder.AddEventdTracing();

        builder.UseOrleans(silo =>
        {
            if (SiloTracing.IsOn(builder.Configuration))
            {
                // A grain call continues its caller's trace; off, the filters would only cost each call.
                silo.AddActivityPropagation();
            }

            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = hostOptions.ClusterId;
                o.ServiceId = hostOptions.ServiceId;
            });
            silo.ConfigureEndpoints(
                IPAddress.Parse(hostOptions.AdvertisedIP),
                hostOptions.SiloPort,
                hostOptions.GatewayPort,
                listenOnAnyHostAddress: hostOptions.ListenOnAnyHostAddress);
            silo.UseRedisClustering(o =>
            {
                o.ConfigurationOptions = redisOptions;
                o.CreateMultiplexer = Shared;
            });
            // Orleans' Redis storage, plus the expiry of settled states (API.md "Retention").
            silo.Services.AddRetainingRedisGrainStorage(StorageNames.Default, () => stateRedis.Value, new JsonGrainStorageSerializer());
            silo.AddRedisGrainStorage(StorageNames.Idempotency, o =>
            {
                o.ConfigurationOptions = redisOptions;
                o.CreateMultiplexer = ForState;
                o.GrainStorageSerializer = new JsonGrainStorageSerializer();
                o.DeleteStateOnClear = true;
                o.EntryExpiry = StorageNames.IdempotencyRetention;
            });
            silo.AddRedisGrainStorage(StorageNames.EventLog, o =>
            {
                o.ConfigurationOptions = redisOptions;
                o.CreateMultiplexer = ForState;
                o.GrainStorageSerializer = new JsonGrainStorageSerializer();
                o.DeleteStateOnClear = true;
                o.EntryExpiry = (builder.Configuration.GetSection(EventLogOptions.Section).Get<EventLogOptions>() ?? new()).Retention;
            });
            silo.UseRedisReminderService(o =>
            {
                o.ConfigurationOptions = redisOptions;
                o.CreateMultiplexer = Shared;
            });
            silo.AddDashboard();
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = BucketTiming.ReminderPeriod);

            // A small cluster should notice a dead silo within a second or two, not the default tens of
            // seconds: its event timers are re-armed only then. A killed silo's port refuses at once, so
            // two failed probes (0.5-1 s apart: Orleans adapts the timeout between half and four times
            // ProbeTimeout to the answers it sees) declare it; a live but busy one keeps its votes away
            // by the messages its connections still carry (EnableConnectionLivenessCheck).
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(5);

                // A silo restarted after a crash must not wait ~90 s for its dead predecessor's
                // heartbeat to go stale before it may join (it cannot probe a process that is gone).
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
                o.NumMissedTableIAmAliveLimit = 2;
            });

            // Event and delivery grains live for seconds, so most cached directory entries point at
            // activations long gone. The default cache (a million entries) grows to hold a pending
            // event's worth of memory for every event fired, and the dashboard counts it every second.
            silo.Configure<GrainDirectoryOptions>(o =>
            {
                o.CacheSize = DirectoryCacheSize;

                // No lease after a crash. Orleans would hold the grains of a dead silo's directory ranges for
                // this long minus its failure-detection window (MaxProbeTimeout x NumMissedProbesLimit, 8 s
                // here), from the death's declaration, in case the silo still runs; so would every fire of
                // those grains wait. A second activation of an event for the moment a silo declared dead
                // takes to notice and stop is harmless: a fire is written with the state's etag before
                // anything is sent, so only one of them fires it (DESIGN.md "idempotency by identity").
                o.RangeLeaseDuration = TimeSpan.Zero;
            });

            // The default (DHT) grain directory deactivates every activation whose directory entry the
            // dead silo held (LocalGrainDirectory.OnSiloStatusChange): a delivery grain caught waiting in
            // its timer (for a key's permit, or for its event's CompleteDelivery) cannot finish deactivating,
            // and requests queued behind the deactivation (Deliver, Permit) time out after 30 s and are then
            // dropped as expired. The distributed directory instead recovers a dead silo's ranges from the
            // survivors' own activations and leaves them running. Every silo of a cluster must use it.
#pragma warning disable ORLEANSEXP003 // experimental in Orleans 10
            silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        });

        // After the silo's own hosted service, so the silo has joined before the first report and
        // leaves only after the last.
        builder.Services.AddHostedService<ClusterMetricsReporter>();
        return builder;
    }

    /// <summary>Enough for every activation of a silo firing thousands of events a second.</summary>
    public const int DirectoryCacheSize = 100_000;

    public static WebApplication MapSiloEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/healthz");
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapOrleansDashboard(routePrefix: "/dashboard");
        return app;
    }
}
