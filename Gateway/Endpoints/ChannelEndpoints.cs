using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Eventd.Gateway.Auth;
using Eventd.Gateway.Channels;
using Eventd.Gateway.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Features;

namespace Eventd.Gateway.Endpoints;

/// <summary>
/// The server-sent-events stream of a channel's fires (API.md section 1, "Delivery of a fire").
/// Written by hand rather than with <c>TypedResults.ServerSentEvents</c>, which can neither send
/// the headers before the first message nor write the keepalive comment.
/// </summary>
public static class ChannelEndpoints
{
    // Proxies and load balancers drop connections that stay silent for about a minute.
    private static readonly TimeSpan KeepaliveInterval = TimeSpan.FromSeconds(15);
    private static readonly string[] LineBreaks = ["\r\n", "\r", "\n"];

    public static IEndpointRouteBuilder MapChannels(this IEndpointRouteBuilder app)
    {
        var channels = app.MapGroup("/eventd/v1/channels").WithTags("Eventd v1");

        channels.MapGet("/{channel}/stream", Stream).WithName("StreamChannel").WithSummary("Follow a channel's fires as server-sent events")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .Produces<ErrorEnvelope>(StatusCodes.Status400BadRequest)
            .Produces<ErrorEnvelope>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public sealed record Services(ChannelHub Hub, ClusterConnection Cluster, TimeProvider Time, IHostApplicationLifetime Lifetime);

    private static async Task Stream(string channel, HttpContext context, [AsParameters] Services services)
    {
        if (!EventdV1Rules.Channel().IsMatch(channel))
        {
            await Error(StatusCodes.Status400BadRequest, "channel: must match " + EventdV1Rules.ChannelRule).ExecuteAsync(context);
            return;
        }

        // Streams also end when the gateway stops, so open ones do not hold up its shutdown.
        using var end = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, services.Lifetime.ApplicationStopping);
        ChannelListener listener;
        try
        {
            listener = await services.Hub.ListenAsync(channel, end.Token);
        }
        catch (ChannelsUnavailableException)
        {
            await Error(StatusCodes.Status503ServiceUnavailable, "redis: unavailable, try again").ExecuteAsync(context);
            return;
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
            return;
        }

        await using (listener)
        {
            try
            {
                var filter = new ProjectFilter(Caller.Of(context), services.Cluster.Client);
                await PumpAsync(context.Response, listener.Messages, filter, services.Time, end.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                // The client went away (or the gateway is stopping): the stream simply ends.
            }
        }
    }

    private static async Task PumpAsync(HttpResponse response, ChannelReader<string> messages, ProjectFilter filter, TimeProvider time, CancellationToken end)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        // Headers go out now: a client that has them is subscribed and will see every later fire.
        await response.Body.FlushAsync(end);

        using var keepalive = new PeriodicTimer(KeepaliveInterval, time);
        var tick = keepalive.WaitForNextTickAsync(end).AsTask();
        var ready = messages.WaitToReadAsync(end).AsTask();
        while (true)
        {
            await Task.WhenAny(ready, tick);
            if (ready.IsCompleted)
            {
                if (!await ready)
                {
                    return;
                }

                while (messages.TryRead(out var message))
                {
                    if (await filter.ShowsAsync(message))
                    {
                        await response.WriteAsync(Frame(message), end);
                    }
                }

                ready = messages.WaitToReadAsync(end).AsTask();
            }

            if (tick.IsCompleted)
            {
                await tick;
                await response.WriteAsync(": keepalive\n\n", end);
                tick = keepalive.WaitForNextTickAsync(end).AsTask();
            }

            await response.Body.FlushAsync(end);
        }
    }

    /// <summary>One SSE event: <c>id: {eventId}.{seq}</c> (as the webhook-id of the same fire), then the message as data.</summary>
    private static string Frame(string message)
    {
        var frame = new StringBuilder();
        if (FireId(message) is { } id)
        {
            frame.Append("id: ").Append(id).Append('\n');
        }

        // A data line ends at any line break; JSON only has them between tokens, so splitting keeps it intact.
        foreach (var line in message.Split(LineBreaks, StringSplitOptions.None))
        {
            frame.Append("data: ").Append(line).Append('\n');
        }

        return frame.Append('\n').ToString();
    }

    /// <summary>The SSE id of a fire, <c>{eventId}.{seq}</c>; null when the message lacks either or the id could not be one line.</summary>
    private static string? FireId(string message) =>
        FireIds.Of(message) is { } ids && ids.EventId.AsSpan().IndexOfAny('\r', '\n', '\0') < 0 ? $"{ids.EventId}.{ids.Seq}" : null;

    private static JsonHttpResult<ErrorEnvelope> Error(int status, string error) =>
        TypedResults.Json(ErrorEnvelope.Of(error), statusCode: status);
}
