using Microsoft.Extensions.Primitives;

namespace Eventd.Gateway.Auth;

/// <summary>The secret a request carries: <c>X-Eventd-Secret</c>, <c>X-Buildable-Secret</c> or <c>Authorization: Bearer</c>.</summary>
public static class PresentedKey
{
    public const string EventdHeader = "X-Eventd-Secret";
    public const string BuildableHeader = "X-Buildable-Secret";
    private const string BearerPrefix = "Bearer ";

    /// <summary>The headers that carry secrets: never stored, logged or echoed.</summary>
    public static readonly IReadOnlySet<string> SecretHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        EventdHeader, BuildableHeader, "Authorization", "Proxy-Authorization", "Cookie",
    };

    /// <summary>The secret, or null when none was sent (an <c>Authorization</c> of another scheme is none).</summary>
    public static string? From(IHeaderDictionary headers) =>
        Single(headers[EventdHeader])
        ?? Single(headers[BuildableHeader])
        ?? (Single(headers.Authorization) is { } authorization && authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            ? authorization[BearerPrefix.Length..].Trim() is { Length: > 0 } bearer ? bearer : null
            : null);

    private static string? Single(StringValues values) => values.Count == 1 && values[0] is { Length: > 0 } value ? value.Trim() : null;
}
