using System.Diagnostics;
using System.Text;

namespace Eventd.IntegrationTests;

/// <summary>A <c>dotnet</c> command run to its end within a deadline, its output kept for the assertion message.</summary>
public static class DotnetCommand
{
    /// <summary>
    /// Variables the test host's own <c>dotnet test</c> sets for its MSBuild; a child <c>dotnet build</c> that
    /// inherited them would load that MSBuild's state instead of starting clean.
    /// </summary>
    private static readonly string[] InheritedBuildVariables = ["MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly"];

    public static async Task<string> RunAsync(string workingDirectory, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in InheritedBuildVariables)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var command = $"dotnet {string.Join(' ', start.ArgumentList)}";
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{command} ran longer than {timeout.TotalSeconds} s:\n{Text(output)}");
        }

        return process.ExitCode == 0
            ? Text(output)
            : throw new InvalidOperationException($"{command} exited with {process.ExitCode}:\n{Text(output)}");
    }

    private static void Keep(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
