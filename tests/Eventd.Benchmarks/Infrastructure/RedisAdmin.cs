using System.Globalization;
using Eventd.TestSupport;
using StackExchange.Redis;

namespace Eventd.Benchmarks.Infrastructure;

/// <summary>
/// A Redis the benchmark reads figures from: its own private redis-server (no AOF, no RDB
/// snapshots: the figures are about Eventd, not about fsync), or one it was given.
/// </summary>
public sealed class RedisAdmin : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _mux;

    private RedisAdmin(string connectionString, ConnectionMultiplexer mux, ChildProcess? process)
    {
        ConnectionString = connectionString;
        _mux = mux;
        Process = process;
    }

    public string ConnectionString { get; }

    /// <summary>The redis-server this benchmark started; null for a given one.</summary>
    public ChildProcess? Process { get; }

    public bool IsPrivate => Process is not null;
    public IConnectionMultiplexer Multiplexer => _mux;

    public static async Task<RedisAdmin> StartPrivateAsync(string workDirectory)
    {
        var port = FreePort.Next();
        var dir = Directory.CreateDirectory(Path.Combine(workDirectory, "redis")).FullName;
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(d => File.Exists(Path.Combine(d, "redis-server")));
        if (!onPath)
        {
            throw new InvalidOperationException("redis-server is not installed (apt-get install -y redis-server)");
        }

        var process = ChildProcess.Start("redis-server", "redis-server",
            ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", dir,
             "--appendonly", "no", "--save", "", "--daemonize", "no", "--maxclients", "10000"],
            new Dictionary<string, string?>(), workDirectory);

        var connection = $"127.0.0.1:{port}";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                var mux = await ConnectionMultiplexer.ConnectAsync($"{connection},allowAdmin=true,connectTimeout=1000,syncTimeout=60000,asyncTimeout=60000");
                await mux.GetDatabase().PingAsync();
                return new RedisAdmin(connection, mux, process);
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
            catch (RedisConnectionException ex)
            {
                throw new InvalidOperationException($"redis-server on port {port} did not come up:\n{process.Tail()}", ex);
            }
        }
    }

    public static async Task<RedisAdmin> ConnectAsync(string connectionString)
    {
        var mux = await ConnectionMultiplexer.ConnectAsync($"{connectionString},allowAdmin=true,syncTimeout=60000,asyncTimeout=60000");
        return new RedisAdmin(connectionString, mux, null);
    }

    private IServer Server => _mux.GetServer(_mux.GetEndPoints()[0]);

    /// <summary><c>INFO memory</c> used_memory, in bytes.</summary>
    public async Task<long> UsedMemoryAsync()
    {
        var info = await Server.InfoAsync("memory");
        var value = info.SelectMany(g => g).First(p => p.Key == "used_memory").Value;
        return long.Parse(value, CultureInfo.InvariantCulture);
    }

    /// <summary><c>INFO commandstats</c>: calls so far per command.</summary>
    public async Task<Dictionary<string, long>> CommandCallsAsync()
    {
        var info = await Server.InfoAsync("commandstats");
        var calls = new Dictionary<string, long>();
        foreach (var pair in info.SelectMany(g => g))
        {
            // cmdstat_evalsha: calls=12,usec=...,usec_per_call=...
            var name = pair.Key.StartsWith("cmdstat_", StringComparison.Ordinal) ? pair.Key["cmdstat_".Length..] : pair.Key;
            var field = pair.Value.Split(',').FirstOrDefault(f => f.StartsWith("calls=", StringComparison.Ordinal));
            if (field is not null)
            {
                calls[name] = long.Parse(field["calls=".Length..], CultureInfo.InvariantCulture);
            }
        }

        return calls;
    }

    /// <summary>Makes every client's commands wait for <paramref name="pause"/> (<c>CLIENT PAUSE … ALL</c>): Redis away and back.</summary>
    public async Task PauseClientsAsync(TimeSpan pause) =>
        await Server.ExecuteAsync("CLIENT", "PAUSE", ((long)pause.TotalMilliseconds).ToString(CultureInfo.InvariantCulture), "ALL");

    /// <summary>Empties the private Redis between phases that must not see each other's data.</summary>
    public async Task FlushAllAsync()
    {
        if (!IsPrivate)
        {
            throw new InvalidOperationException("refusing to FLUSHALL a Redis this benchmark did not start");
        }

        // ASYNC: a million pending events take Redis seconds to free; it frees them in the background.
        await Server.ExecuteAsync("FLUSHALL", "ASYNC");
    }

    /// <summary>Deletes every key under a prefix (used on a Redis the benchmark was given).</summary>
    public async Task<long> DeletePrefixAsync(string prefix)
    {
        long deleted = 0;
        var db = _mux.GetDatabase();
        var batch = new List<RedisKey>(1000);
        await foreach (var key in Server.KeysAsync(pattern: EscapeGlob(prefix) + "*", pageSize: 1000))
        {
            batch.Add(key);
            if (batch.Count == 1000)
            {
                deleted += await db.KeyDeleteAsync([.. batch]);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            deleted += await db.KeyDeleteAsync([.. batch]);
        }

        return deleted;
    }

    public async ValueTask DisposeAsync()
    {
        await _mux.DisposeAsync();
        Process?.Dispose();
    }

    private static string EscapeGlob(string text) =>
        string.Concat(text.Select(c => c is '*' or '?' or '[' or ']' or '\\' ? $"\\{c}" : c.ToString()));
}
