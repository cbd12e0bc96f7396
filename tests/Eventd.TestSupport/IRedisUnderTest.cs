namespace Eventd.TestSupport;

/// <summary>
/// A Redis that a test starts, stops and starts again with its data kept: one server
/// (<see cref="RedisServer"/>) or a Redis Cluster (<see cref="RedisClusterServer"/>).
/// </summary>
public interface IRedisUnderTest : IAsyncDisposable
{
    /// <summary>What <c>Redis:ConnectionString</c> takes: every node, comma-separated.</summary>
    string ConnectionString { get; }

    Task StartAsync();

    Task StopAsync();
}
