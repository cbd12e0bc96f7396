using Eventd.Grains;
using Eventd.Grains.Buckets;
using Eventd.Grains.EventLog;
using Eventd.Grains.Hosting;
using Eventd.Grains.Interfaces.Options;
using Eventd.Grains.Storage;
using Eventd.Grains.Telemetry;
using Eventd.Silo.Hosting;
using Eventd.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace Eventd.Tests.Grains;

/// <summary>
/// A two-silo TestCluster with the real grains and delivery code, the real Redis grain storage, memory reminders,
/// a real redis-server for pub/sub and a real Kestrel receiver on 127.0.0.1.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    // Silo configurators are created by type; in-process silos read the fixture's Redis and clock from here.
    private static string s_redisConnectionString = "";

    /// <summary>
    /// The event log's clock in every silo: a fake one, started at the real now and moved only by tests
    /// (forward), so retention is tested without waiting. The other grains keep the system's clock.
    /// </summary>
    public static FakeTimeProvider EventLogTime { get; } = new(DateTimeOffset.UtcNow);

    public TestCluster Cluster { get; private set; } = null!;
    public RedisServer Redis { get; } = new();
    public Receiver Receiver { get; } = new();

    /// <summary>The cluster metrics grain's clock, which the tests move; every other grain reads the real one.</summary>
    public static FakeTimeProvider MetricsClock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>The project secrets grains' clock, which the tests move past a rotation's overlap.</summary>
    public static FakeTimeProvider ProjectSecretsClock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>A connection of the tests' own to the fixture's Redis, to look at what the grains stored.</summary>
    public IConnectionMultiplexer RedisClient { get; private set; } = null!;

    /// <summary>The silos' bucket store, for the Redis keys of buckets and to plant members.</summary>
    public BucketStore Buckets => SiloServices.GetRequiredService<BucketStore>();

    /// <summary>The silos' grain storage, to plant state the grains will find.</summary>
    public Orleans.Storage.IGrainStorage Storage => SiloServices.GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(StorageNames.Default);

    /// <summary>The primary silo's services, for the silo-wide services a test drives directly.</summary>
    public IServiceProvider SiloServices => Cluster.Primary is InProcessSiloHandle silo
        ? silo.SiloHost.Services
        : throw new InvalidOperationException("the grain tests run in-process silos");

    /// <summary>The silos' event-log grain storage, to read back what the event-log grains stored.</summary>
    public Orleans.Storage.IGrainStorage EventLogStorage => SiloServices.GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(StorageNames.EventLog);

    /// <summary>The silos' event-log index writer, for the Redis keys of a scope's indexes.</summary>
    public EventLogIndex EventLogIndex => SiloServices.GetRequiredService<EventLogIndex>();

    /// <summary>An event's score in a bucket, or null when it is not a member.</summary>
    public Task<double?> BucketScoreAsync(BucketId bucket, string eventId) =>
        RedisClient.GetDatabase().SortedSetScoreAsync(Buckets.Key(bucket), eventId);

    public async Task InitializeAsync()
    {
        await Redis.StartAsync();
        await Receiver.StartAsync();
        RedisClient = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString);
        s_redisConnectionString = Redis.ConnectionString;
        var builder = new TestClusterBuilder(2);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await Receiver.DisposeAsync();
        await RedisClient.DisposeAsync();
        await Redis.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            // The real Redis grain storage, as a silo has it: the intake's and the first attempt's
            // writes without an ETag rely on how it treats them.
            var stateRedis = new Lazy<IConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(s_redisConnectionString));
            siloBuilder.Services.AddRetainingRedisGrainStorage(StorageNames.Default, () => stateRedis.Value, new JsonGrainStorageSerializer());
            foreach (var name in new[] { StorageNames.Idempotency, StorageNames.EventLog })
            {
                siloBuilder.AddRedisGrainStorage(name, o =>
                {
                    o.ConfigurationOptions = ConfigurationOptions.Parse(s_redisConnectionString);
                    o.GrainStorageSerializer = new JsonGrainStorageSerializer();
                    o.DeleteStateOnClear = true;
                });
            }

            siloBuilder.UseInMemoryReminderService();
            siloBuilder.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = BucketTiming.ReminderPeriod);
            siloBuilder.Services.AddEventdGrainServices();
            siloBuilder.Services.AddKeyedSingleton<TimeProvider>(GrainClocks.EventLog, EventLogTime);
            siloBuilder.Services.AddKeyedSingleton<TimeProvider>(GrainClocks.ClusterMetrics, MetricsClock);
            siloBuilder.Services.AddKeyedSingleton<TimeProvider>(GrainClocks.ProjectSecrets, ProjectSecretsClock);
            siloBuilder.AddOutgoingGrainCallFilter<HandOffFaults>();
            siloBuilder.AddOutgoingGrainCallFilter<OwnerClaimFaults>();
            siloBuilder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(s_redisConnectionString));
            siloBuilder.Services.PostConfigure<DeliveryOptions>(o =>
            {
                o.AllowPrivateNetworks = true;
                o.BackoffBaseMs = 50;
                o.BackoffMaxMs = 500;
            });
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
