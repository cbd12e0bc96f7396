using System.Diagnostics;
using Eventd.Benchmarks.Report;

namespace Eventd.Benchmarks.Infrastructure;

/// <summary>The outcome of running one operation many times with C concurrent clients.</summary>
public sealed record LoadResult(int Count, int Errors, string? FirstError, TimeSpan Elapsed, Percentiles? LatencyMs)
{
    public double PerSecond => Elapsed > TimeSpan.Zero ? (Count - Errors) / Elapsed.TotalSeconds : 0;
}

public static class Load
{
    /// <summary>
    /// Runs <paramref name="operation"/> for indexes 0..count-1 on <paramref name="concurrency"/>
    /// concurrent asynchronous clients, each taking the next index when it is done with one.
    /// An operation answers null when it succeeded, or what went wrong.
    /// </summary>
    public static async Task<LoadResult> RunAsync(int count, int concurrency, Func<int, Task<string?>> operation)
    {
        var latencies = new double[count];
        var next = -1;
        var errors = 0;
        string? firstError = null;
        var started = Stopwatch.GetTimestamp();

        async Task Client()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var t0 = Stopwatch.GetTimestamp();
                string? error;
                try
                {
                    error = await operation(i);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or InvalidOperationException)
                {
                    error = ex.Message;
                }

                latencies[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                if (error is not null)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, error, null);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, count)).Select(_ => Task.Run(Client)));
        return new LoadResult(count, errors, firstError, Stopwatch.GetElapsedTime(started), Percentiles.Of(latencies));
    }

    /// <summary>
    /// The same for a blocking operation (Hangfire's client is synchronous): one dedicated thread
    /// per concurrent client, so the thread pool's slow growth does not set the pace.
    /// </summary>
    public static LoadResult RunBlocking(int count, int concurrency, Func<int, string?> operation)
    {
        var latencies = new double[count];
        var next = -1;
        var errors = 0;
        string? firstError = null;
        var started = Stopwatch.GetTimestamp();

        void Client()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var t0 = Stopwatch.GetTimestamp();
                string? error;
                try
                {
                    error = operation(i);
                }
                catch (Exception ex)
                {
                    error = ex.Message;
                }

                latencies[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                if (error is not null)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, error, null);
                }
            }
        }

        var threads = Enumerable.Range(0, Math.Min(concurrency, count))
            .Select(n => new Thread(Client) { IsBackground = true, Name = $"client-{n}" })
            .ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return new LoadResult(count, errors, firstError, Stopwatch.GetElapsedTime(started), Percentiles.Of(latencies));
    }
}
