using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Eventd.IntegrationTests;

/// <summary>A built Silo or Gateway started as a real process, its output kept for diagnostics.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Lock _logGate = new();
    private StreamWriter? _log;

    private ServiceProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        // Diagnostics: EVENTD_TEST_LOG_DIR keeps each process's whole output, not only its tail.
        if (Environment.GetEnvironmentVariable("EVENTD_TEST_LOG_DIR") is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
            _log = new StreamWriter(Path.Combine(dir, $"{name}-{process.Id}.log")) { AutoFlush = true };
        }
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public string Output => string.Join('\n', _output);

    /// <summary>A silo's own HTTP address (its <c>Orleans:MetricsPort</c>: /metrics, /healthz, /dashboard); null for the gateway.</summary>
    public Uri? MetricsUrl => _process.StartInfo.Environment.TryGetValue("Orleans__MetricsPort", out var port) && port is not null
        ? new Uri($"http://127.0.0.1:{port}")
        : null;

    public static ServiceProcess Start(string name, string dll, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new ServiceProcess(name, Process.Start(start) ?? throw new InvalidOperationException($"could not start {dll}"));
    }

    /// <summary>SIGTERM, as an orchestrator stops a process, then waits for the graceful exit.</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
        {
            await term.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>SIGSTOP: the process stands still, as a host that froze (a long GC pause, a VM stall), until <see cref="ContinueAsync"/>.</summary>
    public Task FreezeAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT: a frozen process goes on.</summary>
    public Task ContinueAsync() => SignalAsync("CONT");

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>SIGKILL: the process dies at once, as in a crash.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        lock (_logGate)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        lock (_logGate)
        {
            _log?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
        }
        while (_output.Count > 400 && _output.TryDequeue(out _))
        {
        }
    }
}
