using System.Diagnostics;

namespace Eventd.TestSupport;

/// <summary>
/// A real Redis Cluster on 127.0.0.1: N masters (no replicas), each a redis-server in cluster mode
/// on free ports with AOF and its <c>nodes.conf</c> in a temporary directory of its own, so a test
/// can stop every node and start them again with the data and the slot layout kept.
/// </summary>
public sealed class RedisClusterServer : IRedisUnderTest
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly List<RedisClusterNode> _nodes;
    private bool _created;

    public RedisClusterServer(int masters = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(masters, 3); // redis-cli --cluster create wants three masters at least
        Directory = System.IO.Directory.CreateTempSubdirectory("eventd-redis-cluster-").FullName;
        _nodes = [.. Enumerable.Range(0, masters).Select(_ => RedisClusterNode.Create(Directory))];
    }

    public string Directory { get; }

    public IReadOnlyList<int> Ports => [.. _nodes.Select(n => n.Port)];

    /// <summary>Every node, comma-separated, as <c>Redis:ConnectionString</c> takes it.</summary>
    public string ConnectionString => string.Join(',', _nodes.Select(n => n.Endpoint));

    /// <summary>Starts every node; the first time, also creates the cluster. Answers once every node says <c>cluster_state:ok</c>.</summary>
    public async Task StartAsync()
    {
        foreach (var node in _nodes)
        {
            node.Start();
        }

        // A node answers CLUSTER INFO as soon as it listens, before it has any slot.
        foreach (var node in _nodes)
        {
            await Poll.UntilAsync(node.ClusterInfoAsync, info => info.Length > 0, StartTimeout, $"redis-server on port {node.Port} to listen");
        }

        if (!_created)
        {
            await CreateClusterAsync();
            _created = true;
        }

        foreach (var node in _nodes)
        {
            await Poll.UntilAsync(node.ClusterInfoAsync, info => info.Contains("cluster_state:ok"), StartTimeout, $"cluster_state:ok on port {node.Port}");
        }
    }

    /// <summary>Stops every node (SIGKILL: what AOF wrote is with the kernel already, so nothing answered is lost).</summary>
    public async Task StopAsync()
    {
        foreach (var node in _nodes)
        {
            await node.StopAsync();
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

    private async Task CreateClusterAsync()
    {
        var create = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true };
        create.ArgumentList.Add("--cluster");
        create.ArgumentList.Add("create");
        foreach (var node in _nodes)
        {
            create.ArgumentList.Add(node.Endpoint);
        }

        create.ArgumentList.Add("--cluster-replicas");
        create.ArgumentList.Add("0");
        create.ArgumentList.Add("--cluster-yes");
        using var process = Process.Start(create) ?? throw new InvalidOperationException("redis-cli did not start; is it installed?");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"redis-cli --cluster create exited {process.ExitCode}:\n{await output}\n{await errors}");
        }
    }
}
