using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Eventd.Benchmarks.Infrastructure;

/// <summary>
/// A process this benchmark started (redis-server, a silo, the gateway), its output written by
/// the kernel straight to a log file (<c>sh -c 'exec … &gt;log 2&gt;&amp;1'</c>, so the process keeps the
/// shell's pid and this process spends no CPU copying its output). Every one is killed when the
/// benchmark ends, however it ends.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private static readonly ConcurrentDictionary<int, ChildProcess> Started = new();
    private readonly Process _process;
    private double _lastCpuSeconds;

    private ChildProcess(string name, Process process, string logPath, int metricsPort)
    {
        Name = name;
        MetricsPort = metricsPort;
        LogPath = logPath;
        _process = process;
        Pid = process.Id;
        Started[Pid] = this;
    }

    public string Name { get; }
    public string LogPath { get; }
    public int Pid { get; }
    public bool HasExited => _process.HasExited;

    /// <summary>A silo's <c>Orleans:MetricsPort</c> (/metrics, /healthz); 0 for other processes.</summary>
    public int MetricsPort { get; }

    public static ChildProcess Start(string name, string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment, string logDirectory, int metricsPort = 0)
    {
        // A process restarted under the same name (the failover phase's silo1) gets a log of its own.
        var logPath = Enumerable.Range(1, int.MaxValue)
            .Select(n => Path.Combine(logDirectory, n == 1 ? $"{name}.log" : $"{name}-{n}.log"))
            .First(path => !File.Exists(path));

        // sh -c 'exec "$0" "$@" >"$EVENTD_BENCH_LOG" 2>&1' fileName args...
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" >\"$EVENTD_BENCH_LOG\" 2>&1 </dev/null");
        start.ArgumentList.Add(fileName);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["EVENTD_BENCH_LOG"] = logPath;
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        return new ChildProcess(name, process, logPath, metricsPort);
    }

    public long? RssBytes => ProcStats.RssBytes(Pid);

    /// <summary>CPU seconds used so far; after the process is gone, the last figure read.</summary>
    public double CpuSeconds
    {
        get
        {
            var now = ProcStats.CpuSeconds(Pid);
            if (now > 0 && !_process.HasExited)
            {
                _lastCpuSeconds = now;
            }

            return _lastCpuSeconds;
        }
    }

    /// <summary>The last lines it printed, to explain a failure.</summary>
    public string Tail(int lines = 30)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(Math.Max(0, stream.Length - (lines * 400)), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(lines));
        }
        catch (IOException ex)
        {
            return $"(no log: {ex.Message})";
        }
    }

    /// <summary>SIGTERM: the process stops gracefully (a silo leaves its cluster); returns without waiting for it.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit(10_000);
    }

    /// <summary>SIGKILL: the process dies at once, as in a crash.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        Kill();
        Started.TryRemove(Pid, out _);
        _process.Dispose();
    }

    /// <summary>Kills whatever is still running (on any exit path, Ctrl-C included).</summary>
    public static void KillAll()
    {
        foreach (var child in Started.Values)
        {
            child.Kill();
        }
    }
}
