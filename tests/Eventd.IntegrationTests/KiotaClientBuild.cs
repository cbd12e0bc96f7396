namespace Eventd.IntegrationTests;

/// <summary>
/// The program of <c>tests/KiotaClient</c> over a client that Kiota (pinned in <c>.config/dotnet-tools.json</c>)
/// generated from a live gateway's <c>/openapi/v1.json</c>, built in a temporary folder that is removed on dispose.
/// </summary>
public sealed class KiotaClientBuild : IDisposable
{
    // The repository's build rules and package pins, so the copy builds as tests/KiotaClient would in place.
    private static readonly string[] RootFiles = ["Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig"];

    private static readonly Dictionary<string, string> KiotaQuiet = new()
    {
        // No update check (the network here reaches package registries only), no hints, no telemetry.
        ["KIOTA_OFFLINE_ENABLED"] = "true",
        ["KIOTA_TUTORIAL_ENABLED"] = "false",
        ["KIOTA_CLI_TELEMETRY_OPTOUT"] = "true",
    };

    private readonly string _folder;

    private KiotaClientBuild(string folder, string generateOutput)
    {
        _folder = folder;
        GenerateOutput = generateOutput;
    }

    /// <summary>What <c>kiota generate</c> printed: its warnings about the document.</summary>
    public string GenerateOutput { get; }

    public static async Task<KiotaClientBuild> CreateAsync(HttpClient gateway)
    {
        var folder = Directory.CreateTempSubdirectory("eventd-kiota-").FullName;
        try
        {
            var document = Path.Combine(folder, "openapi.json");
            await File.WriteAllTextAsync(document, await gateway.GetStringAsync("/openapi/v1.json"));
            var template = Directory.GetFiles(Path.Combine(RepoRoot.Path, "tests", "KiotaClient"));
            foreach (var source in template.Concat(RootFiles.Select(name => Path.Combine(RepoRoot.Path, name))))
            {
                File.Copy(source, Path.Combine(folder, Path.GetFileName(source)));
            }

            await DotnetCommand.RunAsync(RepoRoot.Path, ["tool", "restore"], TimeSpan.FromMinutes(3));
            var generated = await DotnetCommand.RunAsync(RepoRoot.Path,
                ["tool", "run", "kiota", "generate", "--language", "CSharp", "--openapi", document,
                    "--output", Path.Combine(folder, "Generated"), "--class-name", "EventdClient",
                    "--namespace-name", "Eventd.KiotaClient.Generated", "--exclude-backward-compatible", "--log-level", "Warning"],
                TimeSpan.FromMinutes(2), KiotaQuiet);

            // No build servers: a compiler server left running would outlive the test and hold its output pipes.
            await DotnetCommand.RunAsync(folder, ["build", "-c", "Release", "-nologo", "-v", "q", "--disable-build-servers"], TimeSpan.FromMinutes(5));
            return new KiotaClientBuild(folder, generated);
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>Runs the built program to its end and answers what it printed.</summary>
    public Task<string> RunAsync(params string[] arguments) =>
        DotnetCommand.RunAsync(_folder, [Path.Combine(_folder, "bin", "Release", "net10.0", "Eventd.KiotaClient.dll"), .. arguments], TimeSpan.FromMinutes(1));

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
