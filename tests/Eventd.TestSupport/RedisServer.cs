using StackExchange.Redis;

namespace Eventd.TestSupport;

/// <summary>
/// A real redis-server on a free port of 127.0.0.1, with AOF persistence in a temporary
/// directory, so a test can stop and restart it without losing data.
/// </summary>
public sealed class RedisServer : IRedisUnderTest
{
    private RedisProcess? _process;

    public RedisServer()
    {
        Port = FreePort.Next();
        Directory = System.IO.Directory.CreateTempSubdirectory("eventd-redis-").FullName;
    }

    public int Port { get; }
    public string Directory { get; }
    public string ConnectionString => $"127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        _process = RedisProcess.Start(Port, Directory);
        await Poll.UntilAsync(
            async () =>
            {
                using var mux = await ConnectionMultiplexer.ConnectAsync($"{ConnectionString},connectTimeout=500");
                return (await mux.GetDatabase().PingAsync()) >= TimeSpan.Zero;
            },
            ok => ok,
            TimeSpan.FromSeconds(15),
            $"redis-server on port {Port}");
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync();
            _process = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
