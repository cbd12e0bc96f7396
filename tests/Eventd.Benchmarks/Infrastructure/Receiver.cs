using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Eventd.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Eventd.Benchmarks.Infrastructure;

/// <summary>
/// Every arrival of one phase's webhooks, by the index the request path carries
/// (<c>/{phase}/{index}</c>): the first arrival's time per index, and every arrival after it
/// counted as a duplicate.
/// </summary>
public sealed class ArrivalLog
{
    private readonly long[] _first;
    private readonly ConcurrentQueue<string> _duplicateExamples = new();
    private int _unique;
    private int _duplicates;
    private int _outOfRange;

    public ArrivalLog(string phase, int expected)
    {
        Phase = phase;
        _first = new long[expected];
    }

    public string Phase { get; }
    public int Expected => _first.Length;
    public int Unique => Volatile.Read(ref _unique);
    public int Duplicates => Volatile.Read(ref _duplicates);
    public int OutOfRange => Volatile.Read(ref _outOfRange);
    public IReadOnlyCollection<string> DuplicateExamples => _duplicateExamples;

    /// <summary>UTC ticks of the first arrival of each index; 0 where none came.</summary>
    public ReadOnlySpan<long> FirstArrivals => _first;

    public void Record(int index, long utcTicks, string? webhookId)
    {
        if ((uint)index >= (uint)_first.Length)
        {
            Interlocked.Increment(ref _outOfRange);
            return;
        }

        if (Interlocked.CompareExchange(ref _first[index], utcTicks, 0) == 0)
        {
            Interlocked.Increment(ref _unique);
        }
        else
        {
            Interlocked.Increment(ref _duplicates);
            if (_duplicateExamples.Count < 10)
            {
                _duplicateExamples.Enqueue($"{index} ({webhookId ?? "no webhook-id"})");
            }
        }
    }
}

/// <summary>
/// The webhook receiver: Kestrel in this process on 127.0.0.1, answering 200 to everything and
/// recording the arrival time of each request (taken when the request reaches the handler).
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ArrivalLog> _logs = new();
    private int _unrouted;

    public Receiver()
    {
        Port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxConcurrentConnections = null;
            k.Listen(IPAddress.Loopback, Port);
        });
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    public int Port { get; }
    public int Unrouted => Volatile.Read(ref _unrouted);

    public string Url(string phase, int index) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/{phase}/{index}");

    /// <summary>Starts recording a phase: requests to <c>/{phase}/{0..expected-1}</c>.</summary>
    public ArrivalLog Expect(string phase, int expected) => _logs[phase] = new ArrivalLog(phase, expected);

    public Task StartAsync() => _app.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var at = DateTime.UtcNow.Ticks;
        var path = context.Request.Path.Value.AsSpan();
        var slash = path.Length > 1 ? path[1..].IndexOf('/') + 1 : 0;
        if (slash > 1
            && _logs.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(path[1..slash], out var log)
            && int.TryParse(path[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            log.Record(index, at, context.Request.Headers["webhook-id"].ToString());
        }
        else
        {
            Interlocked.Increment(ref _unrouted);
        }

        // Read the body to its end, as a real receiver would, without keeping it.
        var reader = context.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync();
            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
    }
}
