using Eventd.Benchmarks.Infrastructure;
using Eventd.Benchmarks.Phases;

namespace Eventd.Benchmarks;

/// <summary><c>--soak</c>: a private redis-server, a receiver and one silo and gateway, the soak, its table on standard output.</summary>
public static class SoakCommand
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        Cluster.BuiltDlls(); // fail before starting anything when the service is not built
        var workDirectory = Directory.CreateTempSubdirectory("eventd-soak-").FullName;
        var failed = false;
        await using var receiver = new Receiver();
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = int.MaxValue }) { Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            await receiver.StartAsync();
            await using var redis = await RedisAdmin.StartPrivateAsync(workDirectory);
            var report = await new Soak(options, receiver, redis, http, workDirectory).RunAsync();
            Console.WriteLine(report.Render());
            return 0;
        }
        catch (Exception ex)
        {
            failed = true;
            await Console.Error.WriteLineAsync($"soak failed: {ex}\nprocess logs are kept in {workDirectory}");
            return 1;
        }
        finally
        {
            ChildProcess.KillAll();
            if (!failed && !options.KeepLogs)
            {
                Directory.Delete(workDirectory, recursive: true);
            }
        }
    }
}
