using System.Globalization;
using System.Net;
using Eventd.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Runtime;
using StackExchange.Redis;

namespace Eventd.Benchmarks.Infrastructure;

/// <summary>
/// Eventd as run.sh runs it: the Release-built silos and gateway as processes on 127.0.0.1,
/// configured only by their documented keys, in the Development environment (webhooks to
/// 127.0.0.1 allowed). Also an Orleans client for the management grain: activation counts,
/// forced activation collection and forced GC, which the memory figures need.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    private const string BuildHint = "run dotnet build -c Release Eventd.Orleans.sln first";
    private readonly string _redis;
    private readonly string _workDirectory;
    private readonly List<ChildProcess> _silos = [];
    private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(5) };
    private IHost? _admin;

    public Cluster(string redisConnection, string workDirectory)
    {
        _redis = redisConnection;
        _workDirectory = workDirectory;
        GatewayUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}");
    }

    public Uri GatewayUrl { get; }
    public ChildProcess? Gateway { get; private set; }
    public IReadOnlyList<ChildProcess> Silos => _silos;
    public IEnumerable<ChildProcess> LiveSilos => _silos.Where(s => !s.HasExited);

    /// <summary>The built service's dlls; throws with the build command when they are missing.</summary>
    public static (string Silo, string Gateway) BuiltDlls()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Eventd.Orleans.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"Eventd.Orleans.sln not found above {AppContext.BaseDirectory}; {BuildHint}");
        }

        var silo = Path.Combine(root.FullName, "Silo", "bin", "Release", "net10.0", "Eventd.Silo.dll");
        var gateway = Path.Combine(root.FullName, "Gateway", "bin", "Release", "net10.0", "Eventd.Gateway.dll");
        foreach (var dll in new[] { silo, gateway })
        {
            if (!File.Exists(dll))
            {
                throw new InvalidOperationException($"{dll} is missing: {BuildHint}");
            }
        }

        return (silo, gateway);
    }

    /// <param name="settings">More configuration for the silo (environment variables), beside the cluster's own.</param>
    public ChildProcess StartSilo(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var (siloDll, _) = BuiltDlls();
        var metricsPort = FreePort.Next();
        var environment = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Redis__ConnectionString"] = _redis,
            ["Orleans__SiloPort"] = Port(),
            ["Orleans__GatewayPort"] = Port(),
            ["Orleans__MetricsPort"] = metricsPort.ToString(CultureInfo.InvariantCulture),
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = null,
        };
        var silo = ChildProcess.Start($"silo{_silos.Count + 1}", "dotnet", [siloDll], environment, _workDirectory, metricsPort);
        _silos.Add(silo);
        return silo;
    }

    public ChildProcess StartGateway()
    {
        var (_, gatewayDll) = BuiltDlls();
        Gateway = ChildProcess.Start("gateway", "dotnet", [gatewayDll], new Dictionary<string, string?>
        {
            ["Redis__ConnectionString"] = _redis,
            ["ASPNETCORE_URLS"] = GatewayUrl.ToString().TrimEnd('/'),
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        }, _workDirectory);
        return Gateway;
    }

    /// <summary>Waits for the gateway's /readyz and for every live silo to be an active member.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var lastAnswer = "no answer";
        while (true)
        {
            foreach (var process in LiveSilos.Append(Gateway!).Where(p => p.HasExited))
            {
                throw new InvalidOperationException($"{process.Name} exited during start-up:\n{process.Tail()}");
            }

            try
            {
                using var response = await _probe.GetAsync(new Uri(GatewayUrl, "/readyz"));
                lastAnswer = $"/readyz {(int)response.StatusCode}";
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var active = (await (await ManagementAsync()).GetHosts(onlyActive: true)).Count;
                    lastAnswer = $"{active} active silo(s)";
                    if (active == LiveSilos.Count())
                    {
                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or OrleansException or TimeoutException)
            {
                lastAnswer = ex.Message;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the cluster was not ready within {timeout.TotalSeconds} s (last: {lastAnswer})\n{Diagnostics()}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>The management grain, through an Orleans client of this process (started on first use).</summary>
    public async Task<IManagementGrain> ManagementAsync()
    {
        if (_admin is null)
        {
            var options = ConfigurationOptions.Parse(_redis);
            options.AbortOnConnectFail = false;
            var host = new HostBuilder()
                .ConfigureLogging(logging => logging.ClearProviders())
                .UseOrleansClient(client =>
                {
                    client.Configure<ClusterOptions>(o =>
                    {
                        o.ClusterId = "eventd";
                        o.ServiceId = "eventd";
                    });
                    client.UseRedisClustering(o => o.ConfigurationOptions = options);
                })
                .Build();
            await host.StartAsync();
            _admin = host;
        }

        return _admin.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
    }

    /// <summary>A silo's /metrics (Prometheus text).</summary>
    public async Task<SiloMetrics> MetricsAsync(ChildProcess silo) =>
        new(await _probe.GetStringAsync(new Uri($"http://127.0.0.1:{silo.MetricsPort}/metrics")));

    /// <summary>Forces a full GC in every silo (the management grain's ForceGarbageCollection).</summary>
    public async Task ForceGcAsync()
    {
        var management = await ManagementAsync();
        var hosts = (await management.GetHosts(onlyActive: true)).Keys.ToArray();
        await management.ForceGarbageCollection(hosts);
    }

    /// <summary>Stops the admin client, then kills the silos and the gateway (SIGKILL: the data is thrown away).</summary>
    public async Task StopAsync()
    {
        if (_admin is not null)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _admin.StopAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
            }

            _admin.Dispose();
            _admin = null;
        }

        Gateway?.Dispose();
        foreach (var silo in _silos)
        {
            silo.Dispose();
        }
    }

    public string Diagnostics() =>
        string.Join("\n", _silos.Append(Gateway).OfType<ChildProcess>()
            .Select(p => $"--- {p.Name} (pid {p.Pid}, exited: {p.HasExited}, log {p.LogPath}) ---\n{p.Tail(15)}"));

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _probe.Dispose();
    }

    private static string Port() => FreePort.Next().ToString(CultureInfo.InvariantCulture);
}

/// <summary>A silo's Prometheus scrape, summed by metric name.</summary>
public sealed class SiloMetrics(string text)
{
    /// <summary>The sum of every sample of a metric (all label sets), optionally only those whose labels contain a text.</summary>
    public double Sum(string name, string? labelContains = null)
    {
        double sum = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty || line[0] == '#' || !line.StartsWith(name, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = line[name.Length..];
            if (rest.IsEmpty || (rest[0] != '{' && rest[0] != ' '))
            {
                continue;
            }

            var close = rest.LastIndexOf('}');
            var labels = close >= 0 ? rest[..(close + 1)] : [];
            if (labelContains is not null && !labels.Contains(labelContains, StringComparison.Ordinal))
            {
                continue;
            }

            var value = rest[(close + 1)..].Trim();
            var space = value.IndexOf(' ');
            if (space > 0)
            {
                value = value[..space];
            }

            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            {
                sum += v;
            }
        }

        return sum;
    }

    public long Activations => (long)Sum("orleans_catalog_activations");
    public long EventActivations => (long)Sum("orleans_catalog_activations", "grain_type=\"scheduledevent\"");
    public long RemindersActive => (long)Sum("orleans_reminders_active");
    public long DirectoryCacheSize => (long)Sum("orleans_directory_cache_size");

    /// <summary>The GC heap after the last collection, all generations.</summary>
    public long GcHeapBytes => (long)Sum("dotnet_gc_last_collection_heap_size_bytes");
}
