using System.Text.RegularExpressions;

namespace Eventd.Gateway.Endpoints;

/// <summary>The field rules of Eventd v1 bodies (API.md section 1), each a small predicate.</summary>
public static partial class EventdV1Rules
{
    // Patterns end in \z, not $: in .NET, $ also matches before a final newline.
    public static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Content-Type", "Transfer-Encoding", "Connection",
    };

    /// <summary>The channel rule as API.md writes it, for error messages.</summary>
    public const string ChannelRule = "^[A-Za-z0-9][A-Za-z0-9:._-]{0,199}$";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9:._-]{0,199}\\z")]
    public static partial Regex Channel();

    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]+\\z")]
    private static partial Regex HttpToken();

    [GeneratedRegex("^[0-9a-f]{32}\\z")]
    public static partial Regex EventId();

    /// <summary>Null when the URL is acceptable, else what is wrong with it.</summary>
    public static string? CheckUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return "must be an absolute http or https URL";
        }

        return uri.UserInfo.Length > 0 ? "must not contain credentials"
            : url.Any(char.IsControl) ? "must not contain control characters"
            : null;
    }

    /// <summary>Null when the header may be set by a client, else why not.</summary>
    public static string? CheckHeader(string name, string value)
    {
        if (!HttpToken().IsMatch(name))
        {
            return "not a valid header name";
        }

        if (ReservedHeaders.Contains(name) || name.StartsWith("webhook-", StringComparison.OrdinalIgnoreCase))
        {
            return "reserved";
        }

        // HTTP allows tab but no other control character in a field value (RFC 9110 5.5); a NUL would reach the receiver raw.
        return value.Contains('\r') || value.Contains('\n') ? "must not contain CR or LF"
            : value.Any(c => char.IsControl(c) && c != '\t') ? "must not contain control characters"
            : null;
    }
}
