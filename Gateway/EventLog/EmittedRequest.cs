using Eventd.Gateway.Auth;

namespace Eventd.Gateway.EventLog;

/// <summary>
/// What <c>/emit</c> keeps of its HTTP request for the row: the query string and the headers as objects of
/// strings (header names lower-cased, repeated values joined by ','). Headers that carry secrets are never
/// kept, so no row can echo a key.
/// </summary>
public static class EmittedRequest
{
    public static IReadOnlyDictionary<string, string> QueryOf(HttpRequest request) =>
        request.Query.OrderBy(q => q.Key, StringComparer.Ordinal).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, string> HeadersOf(HttpRequest request) =>
        request.Headers
            .Where(h => !PresentedKey.SecretHeaders.Contains(h.Key))
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: h.Value.ToString()))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToDictionary(h => h.Name, h => h.Value, StringComparer.Ordinal);
}
