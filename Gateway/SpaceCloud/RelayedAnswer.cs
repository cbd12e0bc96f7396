using Eventd.Grains.Interfaces;
using Microsoft.AspNetCore.Diagnostics;

namespace Eventd.Gateway.SpaceCloud;

/// <summary>A receiver's answer to a synchronous queue, passed on as it came: its status, its <c>Content-Type</c>, its body.</summary>
public sealed class RelayedAnswer(SyncAnswer answer) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        // The receiver's status stands even with an empty body: the gateway's own status-code pages must not replace it.
        if (httpContext.Features.Get<IStatusCodePagesFeature>() is { } pages)
        {
            pages.Enabled = false;
        }

        httpContext.Response.StatusCode = answer.StatusCode ?? StatusCodes.Status502BadGateway;
        if (answer.ContentType is { } contentType)
        {
            httpContext.Response.ContentType = contentType;
        }

        if (answer.Body.Length > 0)
        {
            await httpContext.Response.Body.WriteAsync(answer.Body, httpContext.RequestAborted);
        }
    }
}
