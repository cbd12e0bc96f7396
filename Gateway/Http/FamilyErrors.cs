using Eventd.Gateway.Endpoints;

namespace Eventd.Gateway.Http;

/// <summary>
/// An error in the body shape of the API family its path belongs to, for every error written outside an
/// endpoint (auth, idempotency, unhandled exceptions, bare statuses such as 404 and 405): the event log's and
/// keys' <c>{"status": "error", "message"}</c>, the webhook register's and Space Cloud's <c>{"error"}</c>, else
/// Eventd v1's envelope. By path, because a 405 reaches here with the router's endpoint, not the route's.
/// </summary>
public static class FamilyErrors
{
    public static Task WriteAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        var path = context.Request.Path;
        return IsStatusMessageFamily(path) ? context.Response.WriteAsJsonAsync(StatusMessage.Error(message))
            : IsErrorMessageFamily(path) ? context.Response.WriteAsJsonAsync(new ErrorMessage(message))
            : context.Response.WriteAsJsonAsync(ErrorEnvelope.Of(message));
    }

    /// <summary>The error body's type on a path, for the OpenAPI document to name the shape <see cref="WriteAsync"/> writes there.</summary>
    public static Type ShapeOf(PathString path) =>
        IsStatusMessageFamily(path) ? typeof(StatusMessage)
        : IsErrorMessageFamily(path) ? typeof(ErrorMessage)
        : typeof(ErrorEnvelope);

    private static bool IsStatusMessageFamily(PathString path) =>
        EventLogEndpoints.Paths.Contains(path.Value ?? "") || path.StartsWithSegments(KeyEndpoints.Prefix, StringComparison.Ordinal);

    private static bool IsErrorMessageFamily(PathString path) =>
        path.StartsWithSegments(WebhookRegisterEndpoints.Prefix, StringComparison.Ordinal)
        || path.StartsWithSegments(SpaceCloudEndpoints.ConfigPrefix, StringComparison.Ordinal)
        || path.StartsWithSegments(SpaceCloudEndpoints.ApiPrefix, StringComparison.Ordinal);
}
