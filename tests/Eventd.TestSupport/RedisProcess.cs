using System.Diagnostics;

namespace Eventd.TestSupport;

/// <summary>
/// One redis-server process on 127.0.0.1 with AOF persistence in its directory (so a stop and start keeps
/// its data), as a single server or a cluster node runs it; killed, not shut down, when stopped.
/// </summary>
internal sealed class RedisProcess(Process process)
{
    public static RedisProcess Start(int port, string directory, params string[] extraArguments)
    {
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])[
            "--port", port.ToString(), "--bind", "127.0.0.1", "--dir", directory,
            "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--daemonize", "no",
            .. extraArguments])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start; is it installed?");

        // Drained, or a chatty server blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new RedisProcess(process);
    }

    public async Task StopAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
