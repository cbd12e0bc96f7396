using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Eventd.Benchmarks.Infrastructure;
using Hangfire;
using Hangfire.Redis.StackExchange;
using StackExchange.Redis;

namespace Eventd.Benchmarks.Phases;

/// <summary>
/// The job Hangfire runs for each scheduled webhook: one HTTP POST to the receiver with the same
/// body and headers Eventd sends. Static, as Hangfire jobs are named by type and method.
/// </summary>
public static class HangfireWebhookJob
{
    private static HttpClient? s_http;
    private static int s_receiverPort;

    public static void Configure(HttpClient http, int receiverPort)
    {
        s_http = http;
        s_receiverPort = receiverPort;
    }

    public static async Task PostAsync(string phase, int index)
    {
        var http = s_http ?? throw new InvalidOperationException("HangfireWebhookJob is not configured");
        using var request = new HttpRequestMessage(HttpMethod.Post,
            string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{s_receiverPort}/{phase}/{index}"))
        {
            Content = Webhook.Body(index),
        };
        Webhook.AddHeaders(request, $"{phase}.{index}");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}

/// <summary>What every webhook of the benchmark carries, whoever sends it.</summary>
public static class Webhook
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>The event's <c>data</c>, sent as the webhook body.</summary>
    public static string Data(int index) => string.Create(CultureInfo.InvariantCulture, $$"""{"n":{{index}}}""");

    public static ByteArrayContent Body(int index)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Data(index)));
        content.Headers.ContentType = Json;
        return content;
    }

    public static void AddHeaders(HttpRequestMessage request, string webhookId)
    {
        request.Headers.TryAddWithoutValidation("webhook-id", webhookId);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("User-Agent", "eventd/0.1.0");
    }
}

/// <summary>
/// Hangfire 1.8 with Hangfire.Redis.StackExchange on the same redis-server, under its own key
/// prefix: one server in this process with its default workers and schedule polling as fast as
/// it accepts. Given the same create and fire work as Eventd.
/// </summary>
public sealed class HangfirePeer : IDisposable
{
    public const string Prefix = "{eventd-bench-hangfire}:";

    private readonly ConnectionMultiplexer _mux;
    private readonly HttpClient _http;
    private readonly BackgroundJobServer _server;
    private readonly BackgroundJobClient _client;

    public HangfirePeer(string redisConnection, int receiverPort, TimeSpan pollingInterval)
    {
        _mux = ConnectionMultiplexer.Connect(redisConnection);
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            Timeout = TimeSpan.FromSeconds(5),
        };
        HangfireWebhookJob.Configure(_http, receiverPort);

        // The configuration Hangfire's documentation recommends for 1.8, with Redis storage.
        var storage = GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseRedisStorage(_mux, new RedisStorageOptions { Prefix = Prefix })
            .Entry;
        Options = new BackgroundJobServerOptions
        {
            ServerName = "eventd-bench",
            SchedulePollingInterval = pollingInterval,
        };
        _server = new BackgroundJobServer(Options, storage);
        _client = new BackgroundJobClient(storage);
    }

    public BackgroundJobServerOptions Options { get; }

    /// <summary>Schedules one webhook job (BackgroundJob.Schedule); null when it went well.</summary>
    public string? Schedule(string phase, int index, DateTimeOffset due)
    {
        var id = _client.Schedule(() => HangfireWebhookJob.PostAsync(phase, index), due);
        return id is null ? "Schedule returned no job id" : null;
    }

    public void Dispose()
    {
        _server.SendStop();
        _server.Dispose();
        _http.Dispose();
        _mux.Dispose();
    }
}
