using Eventd.Gateway.Endpoints;

namespace Eventd.Gateway.Auth;

/// <summary>A refusal in the error shape of the family the route belongs to.</summary>
public static class AuthErrors
{
    public static Task WriteAsync(HttpContext context, AuthRoute route, int status, string message)
    {
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        return route != AuthRoute.Project ? context.Response.WriteAsJsonAsync(StatusMessage.Error(message))
            : context.Request.Path.StartsWithSegments("/eventd", StringComparison.Ordinal) ? context.Response.WriteAsJsonAsync(ErrorEnvelope.Of(message))
            : context.Response.WriteAsJsonAsync(new ErrorMessage(message));
    }
}
