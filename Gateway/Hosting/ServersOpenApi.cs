using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Eventd.Gateway.Hosting;

/// <summary>
/// Drops the trailing <c>/</c> the generator leaves on the server URL it builds from the request (host plus an empty
/// path base): a client joins that URL with paths that start with <c>/</c>, and would ask for <c>//eventd/v1/...</c>.
/// </summary>
public static class ServersOpenApi
{
    public static OpenApiOptions AddServersWithoutTrailingSlash(this OpenApiOptions options) =>
        options.AddDocumentTransformer((document, _, _) =>
        {
            foreach (var server in document.Servers ?? Enumerable.Empty<OpenApiServer>())
            {
                if (server.Url is { Length: > 1 } url && url.EndsWith('/'))
                {
                    server.Url = url.TrimEnd('/');
                }
            }

            return Task.CompletedTask;
        });
}
