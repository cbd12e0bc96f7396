using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Signing;
using Eventd.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace Eventd.Grains.Delivery;

/// <summary>
/// Sends one HTTP attempt of a webhook and records what happened (in the returned attempt, the
/// metrics and the log); never throws for a failed attempt.
/// </summary>
public sealed partial class WebhookSender
{
    public const string HttpClientName = "webhooks";

    public static readonly string UserAgent =
        "eventd/" + (typeof(WebhookSender).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0");

    /// <summary>The largest receiver answer a synchronous attempt hands back: 1 MiB.</summary>
    public const int MaxAnswerBytes = 1024 * 1024;

    private static readonly HashSet<string> MethodsWithBody = ["POST", "PUT", "PATCH"];

    private readonly IHttpClientFactory _clients;
    private readonly TimeProvider _time;
    private readonly ProjectSigningCache _signing;
    private readonly EventdMetrics _metrics;
    private readonly ILogger<WebhookSender> _logger;

    public WebhookSender(IHttpClientFactory clients, TimeProvider time, ProjectSigningCache signing, EventdMetrics metrics, ILogger<WebhookSender> logger)
    {
        _clients = clients;
        _time = time;
        _signing = signing;
        _metrics = metrics;
        _logger = logger;
    }

    public async Task<AttemptOutcome> SendAsync(WebhookRequest request, int attempt, CancellationToken cancellationToken)
    {
        var startedAt = _time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var (heard, error) = await ExchangeAsync(
            request,
            startedAt,
            (response, _) => Task.FromResult(new Heard((int)response.StatusCode, RetryAfter.From(response.StatusCode, response.Headers.RetryAfter, _time.GetUtcNow()))),
            cancellationToken);
        var succeeded = heard is { Status: >= 200 and < 300 };
        var attemptRecord = Record(request, attempt, startedAt, clock, heard?.Status, error ?? (succeeded ? null : $"HTTP {heard!.Status}"));
        Finish(request, attempt, succeeded, attemptRecord.StatusCode, attemptRecord.Error, attemptRecord.DurationMs);
        return new AttemptOutcome(attemptRecord, heard?.RetryAfter);
    }

    /// <summary>
    /// Sends one attempt and hands back the receiver's answer (status, content type, body up to
    /// <see cref="MaxAnswerBytes"/>) for a caller that waits on it; built as every delivery is, never retried.
    /// </summary>
    public async Task<SyncAnswer> SendForAnswerAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var (answer, error) = await ExchangeAsync(request, _time.GetUtcNow(), ReadAnswerAsync, cancellationToken);
        answer ??= new SyncAnswer { Error = error };
        Finish(request, 1, answer.StatusCode is >= 200 and < 300, answer.StatusCode, answer.Error, clock.ElapsedMilliseconds);
        return answer;
    }

    /// <summary>What an attempt heard back: the status, and the wait the receiver asked for.</summary>
    private sealed record Heard(int Status, TimeSpan? RetryAfter);

    /// <summary>
    /// Sends one attempt and reads what <paramref name="read"/> takes from the answer, all within the
    /// attempt's timeout; without an answer, the error says why (timeout, refused, blocked address).
    /// </summary>
    private async Task<(TAnswer? Answer, string? Error)> ExchangeAsync<TAnswer>(
        WebhookRequest request,
        DateTimeOffset startedAt,
        Func<HttpResponseMessage, CancellationToken, Task<TAnswer>> read,
        CancellationToken cancellationToken)
        where TAnswer : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.Webhook.TimeoutMs);
        SignatureHeader signing;
        try
        {
            signing = await _signing.ForAsync(request.Project);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Sent unsigned or with a stale secret, the webhook would fail its receiver's check: a failed attempt, retried.
            return (null, $"signing: the secrets of project '{request.Project}' could not be read ({ex.GetType().Name})");
        }

        try
        {
            using var span = DeliveryTracing.Start(request);
            using var message = Build(request, startedAt, signing);
            using var response = await _clients.CreateClient(HttpClientName)
                .SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return (await read(response, timeout.Token), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"timeout after {request.Webhook.TimeoutMs} ms");
        }
        catch (HttpRequestException ex)
        {
            return (null, Describe(ex));
        }
    }

    private static async Task<SyncAnswer> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await ReadAtMostAsync(response.Content, MaxAnswerBytes, cancellationToken) is { } body
            ? new SyncAnswer { StatusCode = (int)response.StatusCode, ContentType = response.Content.Headers.ContentType?.ToString(), Body = body }
            : new SyncAnswer { Error = $"response body larger than {MaxAnswerBytes} bytes" };

    /// <summary>Counts the attempt in the metrics and logs it: a failure at Information, a delivery at Debug.</summary>
    private void Finish(WebhookRequest request, int attempt, bool succeeded, int? statusCode, string? error, long durationMs)
    {
        _metrics.AttemptFinished(succeeded, durationMs);
        if (succeeded)
        {
            LogDelivered(_logger, request.EventId, request.Seq, attempt, statusCode);
        }
        else
        {
            LogAttemptFailed(_logger, request.EventId, request.Seq, attempt, statusCode, error);
        }
    }

    private static async Task<byte[]?> ReadAtMostAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static HttpRequestMessage Build(WebhookRequest request, DateTimeOffset now, SignatureHeader signing)
    {
        var method = new HttpMethod(request.Webhook.Method);
        var message = new HttpRequestMessage(method, request.Webhook.Url);
        var body = request.Body ?? "null";
        var hasBody = MethodsWithBody.Contains(method.Method);
        if (hasBody)
        {
            message.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        foreach (var (name, value) in request.Webhook.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        var timestamp = now.ToUnixTimeSeconds();
        message.Headers.TryAddWithoutValidation("webhook-id", request.WebhookId);
        message.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString());
        if (signing.Sign(request.WebhookId, timestamp, hasBody ? body : "") is { } signature)
        {
            message.Headers.TryAddWithoutValidation("webhook-signature", signature);
        }

        // Inside a span, HttpClient writes the header itself (its own span's, when traced); outside one
        // (tracing off) the receiver still gets one, continuing the stored trace or the event's own.
        if (Activity.Current is null && !message.Headers.Contains(DeliveryTracing.TraceParentHeader))
        {
            message.Headers.TryAddWithoutValidation(DeliveryTracing.TraceParentHeader, DeliveryTracing.HeaderOutsideSpan(request.TraceParent, request.EventId));
        }

        if (!message.Headers.Contains("User-Agent"))
        {
            message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        }
        return message;
    }

    private static DeliveryAttempt Record(WebhookRequest request, int attempt, DateTimeOffset at, Stopwatch clock, int? status, string? error) => new()
    {
        Seq = request.Seq,
        Attempt = attempt,
        At = at,
        StatusCode = status,
        DurationMs = clock.ElapsedMilliseconds,
        Error = error,
    };

    private static string Describe(HttpRequestException ex) => ex.InnerException switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused",
        SocketException socket => $"network error: {socket.SocketErrorCode}",
        BlockedAddressException blocked => blocked.Message,
        _ => ex.Message,
    };

    // A line per delivered fire would be thousands a second; the metrics count them, Debug shows them.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Delivered {EventId} #{Seq} at attempt {Attempt}: status {StatusCode}")]
    private static partial void LogDelivered(ILogger logger, string eventId, int seq, int attempt, int? statusCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery of {EventId} #{Seq}, attempt {Attempt} failed: status {StatusCode}, error {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, string eventId, int seq, int attempt, int? statusCode, string? error);
}
