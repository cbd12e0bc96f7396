using System.Net;

namespace Eventd.IntegrationTests;

public sealed record SseEvent(string? Id, string Data);

/// <summary>A server-sent-events client of a channel stream: open once the gateway has answered its headers.</summary>
public sealed class SseStream : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseStream(HttpClient http, HttpResponseMessage response, StreamReader reader) =>
        (_http, _response, _reader) = (http, response, reader);

    public static async Task<SseStream> OpenAsync(Uri gateway, string channel, string? key = null)
    {
        var http = new HttpClient { BaseAddress = gateway, Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/eventd/v1/channels/{channel}/stream");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (key is not null)
        {
            request.Headers.Add("X-Eventd-Secret", key);
        }

        using var connecting = new CancellationTokenSource(Deadline);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, connecting.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-cache", response.Headers.CacheControl?.ToString());
        return new SseStream(http, response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next event, skipping comments (the keepalives).</summary>
    public async Task<SseEvent> NextAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        string? id = null;
        var data = new List<string>();
        while (await _reader.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.Length == 0 && data.Count > 0)
            {
                return new SseEvent(id, string.Join('\n', data));
            }

            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line["id: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Add(line["data: ".Length..]);
            }
        }

        throw new EndOfStreamException("the gateway ended the stream");
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
