using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Eventd.TestSupport;

/// <summary>A request the receiver got, as it arrived.</summary>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A real Kestrel webhook receiver on 127.0.0.1 that records every request. By default it
/// answers 200; <see cref="Respond"/> scripts other answers.
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _mostOpen = new(StringComparer.Ordinal);

    public Receiver()
    {
        Port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, Port));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    public int Port { get; }
    public string Url(string path = "/hook") => $"http://127.0.0.1:{Port}{path}";

    /// <summary>Decides the answer to the n-th request (from 1); null answers 200.</summary>
    public Func<int, ReceivedRequest, (int Status, IReadOnlyDictionary<string, string>? Headers)>? Respond { get; set; }

    /// <summary>How long to hold a request before answering it (a slow receiver); none by default.</summary>
    public Func<ReceivedRequest, TimeSpan>? Hold { get; set; }

    public IReadOnlyList<ReceivedRequest> Received => _received.ToArray();

    public IReadOnlyList<ReceivedRequest> ReceivedOn(string path) => _received.Where(r => r.Path == path).ToArray();

    /// <summary>The <c>n</c> of each JSON body that arrived on <paramref name="path"/>, in arrival order: which numbered fire came when.</summary>
    public IReadOnlyList<int> NumbersOn(string path) =>
        [.. ReceivedOn(path).Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("n").GetInt32())];

    /// <summary>The most requests to paths starting with <paramref name="prefix"/> this receiver held open at once.</summary>
    public int MostOpen(string prefix) => _mostOpen.TryGetValue(prefix, out var most) ? most : 0;

    /// <summary>Counts the requests open at once under each of these path prefixes (see <see cref="MostOpen"/>).</summary>
    public void TrackOpen(string prefix) => _open.TryAdd(prefix, 0);

    public Task StartAsync() => _app.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new ReceivedRequest(context.Request.Method, context.Request.Path, headers, body, DateTimeOffset.UtcNow);
        _received.Enqueue(request);
        var (status, extra) = Respond?.Invoke(_received.Count, request) ?? (200, null);
        var tracked = _open.Keys.FirstOrDefault(prefix => request.Path.StartsWith(prefix, StringComparison.Ordinal));
        if (tracked is not null)
        {
            var open = _open.AddOrUpdate(tracked, 1, (_, n) => n + 1);
            _mostOpen.AddOrUpdate(tracked, open, (_, most) => Math.Max(most, open));
        }

        try
        {
            if (Hold?.Invoke(request) is { } hold && hold > TimeSpan.Zero)
            {
                await Task.Delay(hold, context.RequestAborted);
            }
        }
        finally
        {
            if (tracked is not null)
            {
                _open.AddOrUpdate(tracked, 0, (_, n) => n - 1);
            }
        }

        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        context.Response.StatusCode = status;
    }
}
