using Eventd.Benchmarks;
using Eventd.Benchmarks.Infrastructure;
using Eventd.Benchmarks.Report;

// Figures are never pass/fail: the exit code is 0 unless something broke (1) or the command
// line was wrong (2).
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"{ex.Message}\n\n{BenchOptions.Usage}");
    return 2;
}

if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

// Whatever ends the run (Ctrl-C, SIGTERM, an exception), the processes it started go with it.
AppDomain.CurrentDomain.ProcessExit += (_, _) => ChildProcess.KillAll();
Console.CancelKeyPress += (_, e) =>
{
    ChildProcess.KillAll();
    e.Cancel = false;
};

if (options.SoakMinutes > 0)
{
    return await SoakCommand.RunAsync(options);
}

var benchmark = new Benchmark(options);
var failed = false;
try
{
    var results = await benchmark.RunAsync();
    Console.WriteLine(Table.Render(results));
    if (options.Out is { } path)
    {
        await File.WriteAllTextAsync(path, results.ToJson());
        Benchmark.Log($"wrote {Path.GetFullPath(path)}");
    }

    if (results.Failed.Count > 0)
    {
        failed = true;
        await Console.Error.WriteLineAsync($"{results.Failed.Count} phase(s) broke; process logs are kept in {benchmark.WorkDirectory}");
        return 1;
    }

    return 0;
}
catch (Exception ex)
{
    failed = true;
    await Console.Error.WriteLineAsync($"benchmark failed: {ex.Message}");
    await Console.Error.WriteLineAsync($"process logs are kept in {benchmark.WorkDirectory}");
    await Console.Error.WriteLineAsync(ex.ToString());
    return 1;
}
finally
{
    await benchmark.DisposeAsync(keepLogs: failed || options.KeepLogs);
}
