using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Eventd.Benchmarks.Infrastructure;
using Eventd.Benchmarks.Report;

namespace Eventd.Benchmarks.Phases;

/// <summary>
/// The soak (issue 17): a steady <c>--rate</c> of events, each due within 10 s, for <c>--soak</c> minutes, on a
/// silo whose settled events are kept only <see cref="BenchOptions.SoakRetention"/>, so that what comes in
/// also leaves and Redis memory should level off. Samples every <see cref="SampleEvery"/>: Redis memory and
/// keys, the processes' RSS, deliveries per second, lateness p99, and fires lost (due a minute ago, not arrived).
/// </summary>
public sealed class Soak(BenchOptions options, Receiver receiver, RedisAdmin redis, HttpClient http, string workDirectory)
{
    public static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(30);

    /// <summary>A fire not arrived this long after its due time counts as lost (the backstops act well within it).</summary>
    private static readonly TimeSpan LostAfter = TimeSpan.FromSeconds(60);

    private const string Phase = "soak";

    private readonly int _total = options.Rate * options.SoakMinutes * 60;
    private long[] _due = [];
    private bool[] _refused = [];
    private int _created;
    private int _refusals;

    public async Task<SoakReport> RunAsync()
    {
        _due = new long[_total];
        _refused = new bool[_total];
        await using var cluster = new Cluster(redis.ConnectionString, workDirectory);
        cluster.StartSilo(new Dictionary<string, string?>
        {
            ["Eventd__Retention__Settled"] = options.SoakRetention.ToString("c", CultureInfo.InvariantCulture),
            ["Eventd__Retention__DeadLetters"] = (options.SoakRetention * 2).ToString("c", CultureInfo.InvariantCulture),
            ["Eventd__Retention__SweepEvery"] = "00:00:05",
        });
        cluster.StartGateway();
        await cluster.WaitReadyAsync(TimeSpan.FromSeconds(120));
        Benchmark.Log($"soak: {options.Rate}/s for {options.SoakMinutes} min ({_total:N0} events), settled events kept {options.SoakRetention.TotalSeconds:0} s");

        var arrivals = receiver.Expect(Phase, _total);
        var started = Stopwatch.GetTimestamp();
        var samples = new List<SoakSample>();
        using var stop = new CancellationTokenSource();
        var sampling = SampleAsync(cluster, arrivals, started, samples, stop.Token);
        await CreateAtRateAsync(cluster.GatewayUrl, started);

        // The samples describe the steady load only: the drain after it would only show memory falling.
        await stop.CancelAsync();
        await sampling;

        // The last events are due up to 10 s after their create; wait out their grace before counting the lost.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10) + LostAfter;
        while (arrivals.Unique < _created - _refusals && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }

        var lost = Lost(arrivals.FirstArrivals, _created, long.MaxValue);
        return new SoakReport(options.Rate, options.SoakMinutes, options.SoakRetention, samples, _created, _refusals, lost);
    }

    /// <summary>Creates <see cref="BenchOptions.Rate"/> events a second, paced on the clock, at most <see cref="BenchOptions.Concurrency"/> at once.</summary>
    private async Task CreateAtRateAsync(Uri gateway, long started)
    {
        using var inFlight = new SemaphoreSlim(options.Concurrency);
        var pending = new List<Task>();
        for (var i = 0; i < _total; i++)
        {
            var dueBy = started + (long)(i * Stopwatch.Frequency / (double)options.Rate);
            // One reading of the clock: read twice, the wait could come out negative, which Task.Delay refuses.
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), dueBy);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            await inFlight.WaitAsync();
            var index = i;
            pending.Add(Task.Run(async () =>
            {
                try
                {
                    await CreateAsync(gateway, index);
                }
                finally
                {
                    inFlight.Release();
                }
            }));
            if (pending.Count > 10_000)
            {
                pending.RemoveAll(t => t.IsCompleted);
            }
        }

        await Task.WhenAll(pending);
    }

    private async Task CreateAsync(Uri gateway, int index)
    {
        // Spread over 1-10 s ahead, so fires overlap creates as in steady use.
        var due = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000 + (index * 7919L % 9000);
        _due[index] = due;
        var body = string.Create(CultureInfo.InvariantCulture, $$"""{"timestamp":{{due}},"url":"{{receiver.Url(Phase, index)}}","data":{{Webhook.Data(index)}}}""");
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new("application/json");
        try
        {
            using var response = await http.PostAsync(new Uri(gateway, "/eventd/v1/events"), content);
            _refused[index] = response.StatusCode != HttpStatusCode.Created;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            _refused[index] = true;
        }

        if (_refused[index])
        {
            Interlocked.Increment(ref _refusals);
        }

        Interlocked.Increment(ref _created);
    }

    private async Task SampleAsync(Cluster cluster, ArrivalLog arrivals, long started, List<SoakSample> samples, CancellationToken stop)
    {
        var lastTicks = DateTime.UtcNow.Ticks;
        var lastArrived = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(SampleEvery, stop);
            }
            catch (OperationCanceledException)
            {
            }

            var nowTicks = DateTime.UtcNow.Ticks;
            if (stop.IsCancellationRequested && TimeSpan.FromTicks(nowTicks - lastTicks) < SampleEvery / 2)
            {
                // The load ended just after a sample: one more would cover a moment, not an interval.
                return;
            }

            var arrived = arrivals.Unique;
            var sample = new SoakSample(
                Stopwatch.GetElapsedTime(started),
                await redis.UsedMemoryAsync(),
                await redis.Multiplexer.GetServers()[0].DatabaseSizeAsync(),
                cluster.Silos[0].RssBytes,
                cluster.Gateway?.RssBytes,
                (arrived - lastArrived) / TimeSpan.FromTicks(nowTicks - lastTicks).TotalSeconds,
                LatenessP99(arrivals.FirstArrivals, lastTicks, nowTicks),
                Volatile.Read(ref _created),
                Lost(arrivals.FirstArrivals, Volatile.Read(ref _created), nowTicks - LostAfter.Ticks));
            samples.Add(sample);
            Benchmark.Log($"soak {sample.Elapsed:mm\\:ss}: Redis {sample.RedisUsedBytes / 1048576.0:N1} MiB, {sample.RedisKeys:N0} keys, {sample.DeliveriesPerSec:N0} deliveries/s, p99 {sample.LatenessP99Ms:N0} ms, lost {sample.Lost}");
            (lastTicks, lastArrived) = (nowTicks, arrived);
        }
    }

    /// <summary>Lateness p99 of the fires that arrived between two times (UTC ticks).</summary>
    private double? LatenessP99(ReadOnlySpan<long> first, long fromTicks, long toTicks)
    {
        var lateness = new List<double>();
        var created = Math.Min(Volatile.Read(ref _created), first.Length);
        for (var i = 0; i < created; i++)
        {
            if (first[i] > fromTicks && first[i] <= toTicks)
            {
                lateness.Add(TimeSpan.FromTicks(first[i] - DateTimeOffset.FromUnixTimeMilliseconds(_due[i]).UtcTicks).TotalMilliseconds);
            }
        }

        return Percentiles.Of([.. lateness])?.P99;
    }

    /// <summary>Events created (not refused) and due before <paramref name="dueBeforeTicks"/> that never arrived.</summary>
    private int Lost(ReadOnlySpan<long> first, int created, long dueBeforeTicks)
    {
        var lost = 0;
        for (var i = 0; i < Math.Min(created, first.Length); i++)
        {
            if (first[i] == 0 && !_refused[i] && _due[i] > 0 && DateTimeOffset.FromUnixTimeMilliseconds(_due[i]).UtcTicks < dueBeforeTicks)
            {
                lost++;
            }
        }

        return lost;
    }
}
