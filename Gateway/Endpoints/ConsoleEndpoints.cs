using System.Collections.Frozen;
using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eventd.Gateway.Endpoints;

/// <summary>
/// The operator console (API.md "Operations"): one page and its script and style, embedded in the
/// gateway's assembly so the console ships with the binary and needs no static-file folder.
/// </summary>
public static class ConsoleEndpoints
{
    private const string PageFile = "console.html";
    private const string ResourcePrefix = "Eventd.Gateway.Console.";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly Lazy<FrozenDictionary<string, ConsoleFile>> Files = new(LoadFiles);

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        app.MapGet("/console", Page).WithName("Console").WithSummary("The operator console: overview, events, dead letters, webhooks").WithTags(OperationsEndpoints.Tag)
            .Produces<string>(StatusCodes.Status200OK, "text/html");

        // The page's own script and style are not part of the contract, as the dashboard's assets are not.
        app.MapGet("/console/{file}", Asset).ExcludeFromDescription();
        return app;
    }

    private sealed record ConsoleFile(byte[] Content, string ContentType);

    private static FileContentHttpResult Page(HttpResponse response) => Serve(response, Files.Value[PageFile]);

    private static Results<FileContentHttpResult, NotFound> Asset(string file, HttpResponse response) =>
        file != PageFile && Files.Value.TryGetValue(file, out var asset) ? Serve(response, asset) : TypedResults.NotFound();

    /// <summary>An operator must get the console of the gateway now running, never one cached from before an upgrade.</summary>
    private static FileContentHttpResult Serve(HttpResponse response, ConsoleFile file)
    {
        response.Headers.CacheControl = "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";

        // The console loads nothing but its own files and talks only to this gateway.
        response.Headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'";
        return TypedResults.Bytes(file.Content, file.ContentType);
    }

    private static FrozenDictionary<string, ConsoleFile> LoadFiles()
    {
        var assembly = typeof(ConsoleEndpoints).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(name => (Name: name[ResourcePrefix.Length..], Content: Read(assembly, name)))
            .Where(file => ContentTypes.ContainsKey(Path.GetExtension(file.Name)))
            .ToFrozenDictionary(file => file.Name, file => new ConsoleFile(file.Content, ContentTypes[Path.GetExtension(file.Name)]), StringComparer.Ordinal);
    }

    private static byte[] Read(Assembly assembly, string resourceName)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Console resource \"{resourceName}\" is listed by the assembly but cannot be opened");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
