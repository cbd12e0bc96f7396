using Eventd.Gateway.Auth;
using Eventd.Gateway.Channels;
using Eventd.Gateway.Endpoints;
using Eventd.Gateway.Http;
using Eventd.Gateway.Intake;
using Eventd.Gateway.Overview;
using Eventd.Gateway.SpaceCloud;
using Eventd.Gateway.Telemetry;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Orleans.Configuration;
using Orleans.Dashboard;
using StackExchange.Redis;

namespace Eventd.Gateway.Hosting;

public static partial class GatewayExtensions
{
    private const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>The gateway: an Orleans client of the cluster behind a REST API; it owns nothing durable.</summary>
    public static WebApplicationBuilder AddEventdGateway(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders().AddJsonConsole(o => o.JsonWriterOptions = new() { Indented = false });
        var auth = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new();
        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey) is { Length: > 0 } set ? set
            : builder.Configuration["urls"] is { Length: > 0 } configured ? configured
            : DefaultUrls;
        var binding = auth.HasAdminKey ? new LoopbackBinding(urls, []) : LoopbackBinding.Of(urls);
        builder.WebHost.UseUrls(binding.Urls);
        builder.Services.AddSingleton(binding);
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);
        builder.Services.AddSingleton<CheckedKeys>();
        builder.Services.AddSingleton(sp => new IdempotencyKeys(() => sp.GetRequiredService<ClusterConnection>().Client));

        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);

        var redisOptions = GatewayRedis.From(builder.Configuration);
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redisOptions));
        builder.Services.AddSingleton<ChannelHub>();
        builder.Services.AddSingleton<EventQueuing>();
        builder.Services.AddSingleton(CreateBatcher.ForCluster);

        AddClusterClient(builder, redisOptions);

        builder.Services.AddOpenApi(o => o
            .AddOperationsRoutes()
            .AddKeySecurity()
            .AddKeyRefusals()
            .AddUniqueOperationIds()
            .AddServersWithoutTrailingSlash()
            .AddTagDescriptions()
            .AddAnyJsonInline()
            .AddStrictNumbers());
        builder.Services.AddHealthChecks().AddCheck<ReadinessCheck>("cluster", tags: [OperationsEndpoints.ReadyTag]);
        builder.Services.AddSingleton<ClusterMetrics>();
        builder.Services.AddSingleton<OverviewHistory>();
        builder.Services.AddHostedService<ClusterMetricsRefresher>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ClusterMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        builder.AddEventdTracing();
        return builder;
    }

    public static WebApplication UseEventdGateway(this WebApplication app)
    {
        app.UseExceptionHandler(errors => errors.Run(WriteUnhandledAsync));
        app.UseStatusCodePages(WriteBareStatusAsync);
        app.UseMiddleware<AuthMiddleware>();
        app.UseMiddleware<IdempotencyMiddleware>();
        WarnWithoutAdminKey(app);
        return app;
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapHealthEndpoints();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapOrleansDashboard(routePrefix: "/dashboard");
        app.MapOpenApi();
        return app;
    }

    private static void AddClusterClient(WebApplicationBuilder builder, ConfigurationOptions redisOptions)
    {
        var identity = builder.Configuration.GetSection(ClusterIdentity.Section).Get<ClusterIdentity>() ?? new();
        builder.Services.AddSingleton(identity);
        var hostedBefore = builder.Services.Where(d => d.ServiceType == typeof(IHostedService)).ToHashSet();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = identity.ClusterId;
                o.ServiceId = identity.ServiceId;
            });
            client.UseRedisClustering(o => o.ConfigurationOptions = redisOptions);

            // An HTTP client should hear "unavailable" in seconds, not wait out Orleans' 30 s
            // default while a dead silo is being declared dead.
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
            client.AddDashboard();
            if (GatewayTracing.IsOn(builder.Configuration))
            {
                // A grain call continues the request's trace; off, the filter would only cost each call.
                client.AddActivityPropagation();
            }
            client.Services.AddSingleton<IClientConnectionRetryFilter>(sp => sp.GetRequiredService<ClusterConnection>());
        });

        // Orleans starts its client as a hosted service that blocks the web host until a silo
        // answers; ClusterConnection starts it in the background instead.
        foreach (var descriptor in builder.Services.Where(d => d.ServiceType == typeof(IHostedService) && !hostedBefore.Contains(d)).ToList())
        {
            builder.Services.Remove(descriptor);
        }

        builder.Services.AddSingleton<ClusterConnection>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ClusterConnection>());
    }

    private static void WarnWithoutAdminKey(WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.HasAdminKey)
        {
            return;
        }

        var binding = app.Services.GetRequiredService<LoopbackBinding>();
        LogNoAdminKey(app.Logger, binding.Urls, binding.Moved.Count == 0 ? "none" : string.Join(';', binding.Moved));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No Eventd:Auth:AdminKey: the Eventd v1, Space Cloud and webhook routes are served without keys, on loopback only ({Urls}; moved from non-loopback addresses: {Moved}); the event-log routes need a key")]
    private static partial void LogNoAdminKey(ILogger logger, string urls, string moved);

    private static async Task WriteUnhandledAsync(HttpContext context)
    {
        var handled = context.Features.Get<IExceptionHandlerFeature>();
        var (status, message) = handled?.Error switch
        {
            ClusterUnavailableException or OrleansException or TimeoutException => (StatusCodes.Status503ServiceUnavailable, "cluster: unavailable, try again"),
            RedisConnectionException => (StatusCodes.Status503ServiceUnavailable, "store: unavailable, try again"),
            BadHttpRequestException bad => (bad.StatusCode, $"request: {bad.Message}"),
            _ => (StatusCodes.Status500InternalServerError, "server: internal error"),
        };
        await FamilyErrors.WriteAsync(context, status, message);
    }

    private static async Task WriteBareStatusAsync(StatusCodeContext statusContext)
    {
        var response = statusContext.HttpContext.Response;
        var message = response.StatusCode switch
        {
            StatusCodes.Status404NotFound => "route: not found",
            StatusCodes.Status405MethodNotAllowed => "method: not allowed on this route",
            StatusCodes.Status413PayloadTooLarge => "body: too large",
            var status => $"request: status {status}",
        };
        await FamilyErrors.WriteAsync(statusContext.HttpContext, response.StatusCode, message);
    }
}
