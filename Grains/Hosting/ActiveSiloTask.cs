namespace Eventd.Grains.Hosting;

/// <summary>
/// A silo service that runs one task in the background from when the silo is active until it stops:
/// started, not awaited, so the silo's start never waits for it; its token is cancelled as the silo stops.
/// </summary>
public abstract class ActiveSiloTask : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(GetType().Name, ServiceLifecycleStage.Active, OnStart, OnStop);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>The task; it ends by itself, or when <paramref name="stopping"/> is cancelled.</summary>
    protected abstract Task RunAsync(CancellationToken stopping);

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stopping.Dispose();
        }
    }

    private Task OnStart(CancellationToken cancellationToken)
    {
        _ = RunAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    private Task OnStop(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }
}
