using System.Net;

namespace Eventd.Gateway.Auth;

/// <summary>
/// Without an admin key nothing is asked of callers, so the gateway listens on loopback only (API.md
/// "Keys and auth"): every address it was told to listen on that is not loopback is moved to 127.0.0.1,
/// same scheme and port.
/// </summary>
public sealed record LoopbackBinding(string Urls, IReadOnlyList<string> Moved)
{
    public static LoopbackBinding Of(string urls)
    {
        var moved = new List<string>();
        var kept = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(url =>
        {
            var address = BindingAddress.Parse(url);
            if (address.IsUnixPipe || IsLoopbackHost(address.Host))
            {
                return url;
            }

            moved.Add(url);
            return $"{address.Scheme}://127.0.0.1:{address.Port}{address.PathBase}";
        });
        return new LoopbackBinding(string.Join(';', kept.ToList()), moved);
    }

    private static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
