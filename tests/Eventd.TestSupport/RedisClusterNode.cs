using StackExchange.Redis;

namespace Eventd.TestSupport;

/// <summary>One master of a <see cref="RedisClusterServer"/>: its ports, its directory and its process.</summary>
internal sealed class RedisClusterNode(int port, int busPort, string directory)
{
    private RedisProcess? _process;

    public static RedisClusterNode Create(string clusterDirectory)
    {
        var port = FreePort.Next();
        var directory = System.IO.Directory.CreateDirectory(Path.Combine(clusterDirectory, port.ToString())).FullName;

        // The bus port is picked too (cluster-port), not left at port + 10000, which may be taken or in the ephemeral range.
        return new RedisClusterNode(port, FreePort.Next(), directory);
    }

    public int Port => port;

    public string Endpoint => $"127.0.0.1:{port}";

    public void Start() =>
        _process = RedisProcess.Start(
            port,
            directory,
            "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-port", busPort.ToString(), "--cluster-node-timeout", "2000");

    /// <summary>This node's own <c>CLUSTER INFO</c>, asked of it alone.</summary>
    public async Task<string> ClusterInfoAsync()
    {
        await using var mux = await ConnectionMultiplexer.ConnectAsync($"{Endpoint},connectTimeout=500");
        var info = await mux.GetServer(Endpoint).ExecuteAsync("CLUSTER", "INFO");
        return info.ToString() ?? "";
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync();
            _process = null;
        }
    }
}
