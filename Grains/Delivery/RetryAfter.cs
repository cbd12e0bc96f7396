using System.Net;
using System.Net.Http.Headers;

namespace Eventd.Grains.Delivery;

/// <summary>Reads the wait a receiver asks for with <c>Retry-After</c> on 429 and 503.</summary>
public static class RetryAfter
{
    public static TimeSpan? From(HttpStatusCode status, RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (status is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || header is null)
        {
            return null;
        }

        var wait = header.Delta ?? (header.Date is { } date ? date - now : null);
        return wait is { } w ? (w > TimeSpan.Zero ? w : TimeSpan.Zero) : null;
    }
}
