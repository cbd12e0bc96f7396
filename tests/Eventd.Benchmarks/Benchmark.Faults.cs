using System.Globalization;
using Eventd.Benchmarks.Infrastructure;
using Eventd.Benchmarks.Report;

namespace Eventd.Benchmarks;

/// <summary>
/// 4. Faults: events due 5-15 s ahead on a fresh two-silo cluster, and one fault 10 s in: a silo killed
/// (SIGKILL), a silo stopped (SIGTERM, a graceful stop), or Redis paused for a few seconds
/// (<c>CLIENT PAUSE</c>: every command waits, as for a Redis that went away and came back). Each prints
/// how late the fires were, lost, duplicated and early ones.
/// </summary>
public sealed partial class Benchmark
{
    /// <summary>How long Redis stands still in the Redis phase.</summary>
    private static readonly TimeSpan RedisPause = TimeSpan.FromSeconds(3);

    private async Task FaultPhasesAsync()
    {
        await PhaseAsync("failover", FailoverAsync);
        await PhaseAsync("graceful stop", GracefulStopAsync);
        await PhaseAsync("redis pause", RedisPauseAsync);
    }

    private async Task FailoverAsync() =>
        _results.Failover = await FaultAsync("failover", "one silo is killed (SIGKILL)", async (cluster, f, at) =>
        {
            var victim = await BusierSiloAsync(cluster, f, at);
            _ = victim.CpuSeconds; // its last CPU figure, for the phase's CPU table
            victim.Kill();
            return $"killed {victim.Name} (pid {victim.Pid})";
        });

    private async Task GracefulStopAsync() =>
        _results.GracefulStop = await FaultAsync("graceful stop", "one silo is stopped (SIGTERM)", async (cluster, f, at) =>
        {
            var victim = await BusierSiloAsync(cluster, f, at);
            _ = victim.CpuSeconds;
            victim.Terminate();
            return $"stopped {victim.Name} (pid {victim.Pid}) with SIGTERM";
        });

    private async Task RedisPauseAsync() =>
        _results.RedisPause = await FaultAsync("redis pause", string.Create(CultureInfo.InvariantCulture, $"Redis pauses every client for {RedisPause.TotalSeconds:0} s"), async (_, f, at) =>
        {
            await DelayUntil(at);
            await _redis!.PauseClientsAsync(RedisPause);
            f.FaultEndedAt = DateTimeOffset.UtcNow + RedisPause;
            return string.Create(CultureInfo.InvariantCulture, $"paused Redis for {RedisPause.TotalSeconds:0} s");
        });

    /// <summary>
    /// Runs one fault phase: a fresh two-silo cluster on an empty Redis, <c>FailoverEvents</c> events due
    /// 5-15 s ahead, <paramref name="inject"/> at 10 s (it waits until the time it is given), then every fire.
    /// </summary>
    private async Task<FailoverFigures> FaultAsync(string phase, string fault, Func<Cluster, FailoverFigures, DateTimeOffset, Task<string>> inject)
    {
        var count = options.FailoverEvents;
        Log($"{phase}: stopping the cluster, emptying Redis, starting two silos and the gateway");
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        await _redis!.FlushAllAsync();
        _cluster = new Cluster(_redis.ConnectionString, _workDirectory);
        var cluster = _cluster;
        cluster.StartSilo();
        cluster.StartSilo();
        cluster.StartGateway();
        _gateway = cluster.GatewayUrl;
        await cluster.WaitReadyAsync(ReadyTimeout);
        var warmDue = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
        await WarmUpAsync(phase, i => CreateEventAsync(warmDue, _receiver.Url($"{phase}-warm", i), i));

        var f = new FailoverFigures { Events = count, Fault = fault };
        var start = DateTimeOffset.UtcNow;
        var startMs = start.ToUnixTimeMilliseconds();
        var due = Enumerable.Range(0, count).Select(i => startMs + 5_000 + (long)(i * 10_000.0 / count)).ToArray();
        Log($"{phase}: {count:N0} events due 5-15 s ahead; {fault} 10 s in");
        var path = phase.Replace(' ', '-');
        var arrivals = _receiver.Expect(path, count);
        var cpu = StartCpu();
        var created = await Load.RunAsync(count, options.Concurrency, i => CreateEventAsync(due[i], _receiver.Url(path, i), i));
        f.CreateErrors = created.Errors;
        NoteIfLate(phase, created, start + TimeSpan.FromSeconds(5));

        var what = await inject(cluster, f, start + TimeSpan.FromSeconds(10));
        f.FaultAtSecondsAfterStart = (DateTimeOffset.UtcNow - start).TotalSeconds;
        Log($"{phase}: {what} at +{f.FaultAtSecondsAfterStart:0.0} s; {arrivals.Unique:N0} fires had arrived");

        var windowEnd = start + TimeSpan.FromSeconds(15);
        await WaitForArrivalsAsync(phase, arrivals, windowEnd, grace: TimeSpan.FromSeconds(40), quiet: TimeSpan.FromSeconds(15), cap: TimeSpan.FromMinutes(3));
        EndCpu(phase, cpu);
        var figures = ArrivalFigures.From(arrivals.FirstArrivals, due, arrivals.Duplicates);
        Report(phase, figures);
        f.LostFires = figures.Lost;
        f.LatenessMs = figures.LatenessMs;
        f.WorstLatenessMs = figures.LatenessMs?.Max;
        f.DuplicateFires = figures.Duplicates;
        f.EarlyFires = figures.Early;
        if (f.FaultEndedAt is { } ended)
        {
            // A fire due while the fault lasted cannot come before it ends: how long after that it came.
            var endedMs = ended.ToUnixTimeMilliseconds();
            f.WorstAfterFaultEndedMs = ArrivalFigures.From(arrivals.FirstArrivals, due.Select(d => Math.Max(d, endedMs)).ToArray(), 0).LatenessMs?.Max;
        }

        await cluster.StopAsync();
        return f;
    }

    /// <summary>
    /// The silo holding more event grains shortly before <paramref name="at"/> (the loss that hurts most),
    /// returned at <paramref name="at"/>.
    /// </summary>
    private static async Task<ChildProcess> BusierSiloAsync(Cluster cluster, FailoverFigures f, DateTimeOffset at)
    {
        await DelayUntil(at - TimeSpan.FromSeconds(2));
        var counts = new List<(ChildProcess Silo, long Events)>();
        foreach (var silo in cluster.Silos)
        {
            counts.Add((silo, (await cluster.MetricsAsync(silo)).EventActivations));
        }

        var victim = counts.OrderByDescending(c => c.Events).First();
        f.KilledSilo = victim.Silo.Name;
        f.KilledSiloEventActivations = victim.Events;
        f.SurvivorEventActivations = counts.Where(c => c.Silo != victim.Silo).Sum(c => c.Events);
        await DelayUntil(at);
        return victim.Silo;
    }
}
