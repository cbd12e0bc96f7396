using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Eventd.TestSupport;
using StackExchange.Redis;

namespace Eventd.IntegrationTests;

/// <summary>
/// Eventd as an operator runs it: a real redis-server (or a Redis Cluster), the built Silo and
/// Gateway as processes configured only by the documented keys, and a Kestrel webhook receiver,
/// all on 127.0.0.1.
/// </summary>
public sealed class EventdCluster : IAsyncDisposable
{
    public const string SigningSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);
    private readonly List<ServiceProcess> _silos = [];
    private readonly int _gatewayPort = FreePort.Next();
    private readonly Dictionary<string, string> _extraSiloSettings;
    private ConnectionMultiplexer? _redisClient;

    /// <param name="redis">The Redis it runs on, which it starts and disposes; null: one <see cref="RedisServer"/>.</param>
    public EventdCluster(Dictionary<string, string>? extraSiloSettings = null, string? adminKey = null, IRedisUnderTest? redis = null)
    {
        _extraSiloSettings = extraSiloSettings ?? [];
        AdminKey = adminKey;
        Redis = redis ?? new RedisServer();
        Http = new HttpClient { BaseAddress = GatewayUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The gateway's <c>Eventd:Auth:AdminKey</c>; null runs it without keys (loopback only).</summary>
    public string? AdminKey { get; }

    public IRedisUnderTest Redis { get; }
    public Receiver Receiver { get; } = new();
    public ServiceProcess? Gateway { get; private set; }
    public IReadOnlyList<ServiceProcess> Silos => _silos;
    public HttpClient Http { get; }
    public Uri GatewayUrl => new($"http://127.0.0.1:{_gatewayPort}");
    public IDatabase RedisDb => (_redisClient ??= ConnectionMultiplexer.Connect(Redis.ConnectionString)).GetDatabase();

    public async Task StartAsync()
    {
        await Redis.StartAsync();
        await Receiver.StartAsync();
        StartSilo();
        StartGateway();
        await WaitReadyAsync();
    }

    public ServiceProcess StartSilo()
    {
        var environment = new Dictionary<string, string>(_extraSiloSettings)
        {
            ["Redis__ConnectionString"] = Redis.ConnectionString,
            ["Orleans__SiloPort"] = FreePort.Next().ToString(),
            ["Orleans__GatewayPort"] = FreePort.Next().ToString(),
            ["Orleans__MetricsPort"] = FreePort.Next().ToString(),
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["Eventd__Delivery__SigningSecret"] = SigningSecret,
            ["Eventd__Delivery__BackoffBaseMs"] = "200",
        };
        var silo = ServiceProcess.Start($"silo{_silos.Count + 1}", Built("Silo", "Eventd.Silo.dll"), environment);
        _silos.Add(silo);
        return silo;
    }

    public ServiceProcess StartGateway()
    {
        var environment = new Dictionary<string, string>
        {
            ["Redis__ConnectionString"] = Redis.ConnectionString,
            ["ASPNETCORE_URLS"] = GatewayUrl.ToString().TrimEnd('/'),
        };
        if (AdminKey is not null)
        {
            environment["Eventd__Auth__AdminKey"] = AdminKey;
        }

        Gateway = ServiceProcess.Start("gateway", Built("Gateway", "Eventd.Gateway.dll"), environment);
        return Gateway;
    }

    /// <summary>Waits until the gateway's /readyz answers 200: the cluster and Redis are reachable.</summary>
    public async Task WaitReadyAsync()
    {
        try
        {
            var (silosExited, _) = await Poll.UntilAsync(
                async () => (SilosExited: _silos.Count > 0 && _silos.All(silo => silo.HasExited), Status: (await Http.GetAsync("/readyz")).StatusCode),
                seen => seen.SilosExited || seen.Status == HttpStatusCode.OK,
                ReadyTimeout,
                "the gateway to be ready");
            if (silosExited)
            {
                throw new InvalidOperationException($"every silo exited before the gateway was ready\n{Diagnostics()}");
            }
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\n{Diagnostics()}", ex);
        }
    }

    /// <summary>Stops every silo and the gateway gracefully (SIGTERM), as a full restart does.</summary>
    public async Task StopAllAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.StopAsync();
        }

        foreach (var silo in _silos)
        {
            await silo.StopAsync();
        }
    }

    /// <summary>Creates a project key with the admin key (<c>POST /v1/keys</c>) and answers its secret.</summary>
    public async Task<string> CreateKeyAsync(string name, string project, string environment = "production")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/keys")
        {
            Content = JsonContent.Create(new { name, project, environment }),
        };
        request.Headers.Add("X-Eventd-Secret", AdminKey ?? throw new InvalidOperationException("start the cluster with an admin key"));
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"POST /v1/keys answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.GetProperty("key").GetString()!;
    }

    /// <summary>
    /// Sends a request with a secret key (null: none) in <paramref name="header"/>: <c>X-Eventd-Secret</c>,
    /// <c>X-Buildable-Secret</c>, or <c>Authorization</c> (as <c>Bearer</c>).
    /// </summary>
    public async Task<HttpResponseMessage> SendWithKeyAsync(HttpMethod method, string path, string? key, HttpContent? content = null, string header = "X-Eventd-Secret")
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (key is not null && header == "Authorization")
        {
            request.Headers.Authorization = new("Bearer", key);
        }
        else if (key is not null)
        {
            request.Headers.Add(header, key);
        }

        return await Http.SendAsync(request);
    }

    public async Task<string> CreateEventAsync(object body)
    {
        using var response = await Http.PostAsJsonAsync("/eventd/v1/events", body);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"create answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Creates the events in one batch; their ids in list order (every item must be accepted).</summary>
    public async Task<IReadOnlyList<string>> CreateBatchAsync(IEnumerable<object> events)
    {
        using var response = await Http.PostAsJsonAsync("/eventd/v1/events/batch", new { events = events.ToArray() });
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"batch answered {(int)response.StatusCode}: {text}");
        }

        return [.. JsonDocument.Parse(text).RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()!)];
    }

    public Task<JsonElement> ReadEventAsync(string id) => ReadEventAsyncWith(id, null);

    /// <summary>Reads an event with a secret key (null: none).</summary>
    public async Task<JsonElement> ReadEventAsyncWith(string id, string? key)
    {
        using var response = await SendWithKeyAsync(HttpMethod.Get, $"/eventd/v1/events/{id}", key);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("event").Clone();
    }

    /// <summary>How many events Redis holds: a refused request must leave it unchanged.</summary>
    public async Task<int> StoredEventCountAsync()
    {
        // Every master's keys: on a Redis Cluster each holds some of them.
        var count = 0;
        foreach (var server in RedisDb.Multiplexer.GetServers().Where(s => !s.IsReplica))
        {
            await foreach (var _ in server.KeysAsync(pattern: "*/state/scheduledevent/*"))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Silos the membership table lists as active.</summary>
    /// <summary>Starts one more silo and waits until the membership counts <paramref name="silos"/> active.</summary>
    public async Task StartSiloUntilActiveAsync(int silos, string what = "the silos active")
    {
        StartSilo();
        await Poll.UntilAsync(ActiveSilosAsync, n => n == silos, TimeSpan.FromSeconds(60), what);
    }

    public async Task<int> ActiveSilosAsync() =>
        (await RedisDb.HashGetAllAsync("eventd/members/eventd"))
            .Count(e => ((string?)e.Value)?.Contains("\"Status\":3", StringComparison.Ordinal) == true);

    /// <summary>
    /// The gateway's last lines, then each silo's: CI shows only the end of a failure's output, and a
    /// silo that did not start explains more than a gateway waiting for it.
    /// </summary>
    public string Diagnostics() =>
        string.Join("\n", new[] { Gateway }.Concat(_silos).OfType<ServiceProcess>()
            .Select(p => $"--- {p.Name} (exited: {p.HasExited}) ---\n{Tail(p.Output, p == Gateway ? 8 : 60)}"));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        _redisClient?.Dispose();
        await Receiver.DisposeAsync();
        await Redis.DisposeAsync();
    }

    private static string Tail(string output, int lines) => string.Join('\n', output.Split('\n').TakeLast(lines));

    /// <summary>The service's build output, in the configuration these tests were built in.</summary>
    public static string Built(string project, string dll)
    {
        var configuration = typeof(EventdCluster).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var path = Path.Combine(RepoRoot.Path, project, "bin", configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"build {project} first", path);
    }
}
