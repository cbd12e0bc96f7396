namespace Eventd.Grains.Interfaces;

/// <summary>
/// An endpoint's name: the <c>scheme://host:port</c> of a target URL, lower case, its port always
/// written, so <c>https://Api.example.com/a</c> and <c>https://api.example.com:443/b</c> are one endpoint.
/// </summary>
public static class EndpointOrigin
{
    /// <summary>The origin of <paramref name="url"/>, or null when it is not an absolute http(s) URL.</summary>
    public static string? Of(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0
            ? $"{uri.Scheme}://{uri.Host.ToLowerInvariant()}:{uri.Port}"
            : null;

    /// <summary>The key of an endpoint's health grain: <c>{project}/{origin}</c> (a project name holds no '/').</summary>
    public static string Key(string project, string origin) => $"{project}/{origin}";
}
