using System.Net;
using Eventd.Gateway.Endpoints;
using Eventd.Gateway.Http;
using Microsoft.Extensions.Options;

namespace Eventd.Gateway.Auth;

/// <summary>
/// API.md "Keys and auth": establishes the <see cref="Caller"/> of every request from its secret key, answers
/// <c>401</c> for a missing or unknown key and <c>403</c> for a key of another project than the route names.
/// Registered after routing, so the endpoint's metadata and route values are known.
/// </summary>
public sealed partial class AuthMiddleware(RequestDelegate next, CheckedKeys keys, IOptions<AuthOptions> options, ILogger<AuthMiddleware> logger)
{
    private const string ProjectRouteValue = "project";

    /// <summary>The display name ASP.NET Core gives the endpoint that answers 405 for a known path.</summary>
    private const string MethodNotAllowedEndpoint = "405 HTTP Method Not Supported";

    /// <summary>
    /// Operations routes need no key (API.md "Operations"); the console page asks its user for one. Public
    /// signing keys are for receivers, who hold no key of ours.
    /// </summary>
    private static readonly string[] OpenPrefixes = ["/healthz", "/readyz", "/metrics", "/openapi", "/dashboard", "/console", SigningEndpoints.KeysPath];

    private readonly AuthOptions _options = options.Value;

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null || endpoint.DisplayName == MethodNotAllowedEndpoint || IsOpen(context.Request.Path))
        {
            await next(context);
            return;
        }

        var route = RouteKind(endpoint);
        if (!_options.HasAdminKey && route == AuthRoute.Project && !IsLoopback(context.Connection.RemoteIpAddress))
        {
            // Kestrel is bound to loopback in this mode; this catches endpoints configured some other way.
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "auth: without Eventd:Auth:AdminKey this gateway serves loopback clients only");
            return;
        }

        var caller = await IdentifyAsync(context, route);
        if (caller is null)
        {
            return;
        }

        if (route == AuthRoute.Admin && !caller.IsAdmin)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, $"{PresentedKey.EventdHeader}: only the admin key manages keys");
            return;
        }

        if (context.Request.RouteValues[ProjectRouteValue] is string project && !caller.Reaches(project))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, $"project: the key belongs to another project than '{project}'");
            return;
        }

        caller.AttachTo(context);
        await next(context);
    }

    /// <summary>The caller, or null once a 401 has been answered.</summary>
    private async Task<Caller?> IdentifyAsync(HttpContext context, AuthRoute route)
    {
        if (PresentedKey.From(context.Request.Headers) is not { } secret)
        {
            if (!_options.HasAdminKey && route == AuthRoute.Project)
            {
                return Caller.Anonymous;
            }

            await RefuseAsync(context, StatusCodes.Status401Unauthorized,
                $"{PresentedKey.EventdHeader}: a secret key is required (or {PresentedKey.BuildableHeader}, or Authorization: Bearer)");
            return null;
        }

        if (_options.HasAdminKey && SecretHash.SameSecret(secret, _options.AdminKey!))
        {
            return Caller.Admin;
        }

        if (await keys.FindAsync(secret) is { } key)
        {
            return new Caller(key.Project, key.Environment, key.Name, false);
        }

        // The path, never the secret: secrets stay out of logs.
        LogUnknownKey(logger, context.Request.Method, context.Request.Path);
        await RefuseAsync(context, StatusCodes.Status401Unauthorized, $"{PresentedKey.EventdHeader}: unknown or revoked key");
        return null;
    }

    private static Task RefuseAsync(HttpContext context, int status, string message)
    {
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        return FamilyErrors.WriteAsync(context, status, message);
    }

    public static bool IsOpen(PathString path) =>
        OpenPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));

    private static AuthRoute RouteKind(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<AdminRoute>() is not null ? AuthRoute.Admin
        : endpoint.Metadata.GetMetadata<EventLogRoute>() is not null ? AuthRoute.EventLog
        : AuthRoute.Project;

    private static bool IsLoopback(IPAddress? address) => address is null || IPAddress.IsLoopback(address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} {Path}: unknown or revoked secret key")]
    private static partial void LogUnknownKey(ILogger logger, string method, string path);
}
