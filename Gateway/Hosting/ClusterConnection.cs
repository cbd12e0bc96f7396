namespace Eventd.Gateway.Hosting;

/// <summary>
/// Starts the Orleans client in the background and keeps trying, so the gateway listens (and
/// answers <c>/readyz</c> 503) before any silo is up, instead of blocking its start.
/// </summary>
public sealed partial class ClusterConnection(IClusterClient client, ILogger<ClusterConnection> logger) : BackgroundService, IClientConnectionRetryFilter
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private volatile bool _started;

    /// <summary>True once the client has joined the cluster (it reconnects by itself afterwards).</summary>
    public bool IsStarted => _started;

    public IClusterClient Client => _started ? client : throw new ClusterUnavailableException();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await ((IHostedService)client).StartAsync(stoppingToken);
        _started = true;
        LogConnected(logger);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_started)
        {
            await ((IHostedService)client).StopAsync(cancellationToken);
        }
    }

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        LogWaiting(logger, exception.Message);
        await Task.Delay(RetryDelay, cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to the Orleans cluster")]
    private static partial void LogConnected(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for the Orleans cluster: {Reason}")]
    private static partial void LogWaiting(ILogger logger, string reason);
}

/// <summary>Thrown when a request needs the cluster before the gateway has reached it.</summary>
public sealed class ClusterUnavailableException() : Exception("the cluster is not reachable yet");
