using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Eventd.Benchmarks.Infrastructure;
using Eventd.Benchmarks.Phases;
using Eventd.Benchmarks.Report;

namespace Eventd.Benchmarks;

/// <summary>
/// One run: raw HTTP (the limit), Hangfire (the peer), then Eventd's pending, create, fire and
/// failover phases, each measured on real processes on this machine. A phase that breaks is
/// reported and the others still run.
/// </summary>
public sealed partial class Benchmark(BenchOptions options) : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);
    private readonly Results _results = new();
    private readonly Receiver _receiver = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        UseProxy = false,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        MaxConnectionsPerServer = int.MaxValue,
    })
    { Timeout = TimeSpan.FromSeconds(60) };

    private readonly string _workDirectory = Directory.CreateTempSubdirectory("eventd-bench-").FullName;
    private RedisAdmin? _redis;
    private Cluster? _cluster;
    private Uri? _gateway;

    private bool SelfStarted => options.Gateway is null;

    public async Task<Results> RunAsync()
    {
        _results.Mode = SelfStarted ? "self-started" : "gateway";
        _results.LoadAverageAtStart = ProcStats.LoadAverage();
        _results.Config = new RunConfig
        {
            Creates = options.Creates,
            Fires = options.Fires,
            FireWindowSeconds = BenchOptions.FireWindow.TotalSeconds,
            Pending = options.Pending,
            Concurrency = options.Concurrency,
            FailoverEvents = options.FailoverEvents,
            Quick = options.Quick,
            Gateway = options.Gateway?.ToString(),
        };
        if (SelfStarted)
        {
            Cluster.BuiltDlls(); // fail before starting anything when the service is not built
        }

        Log($"{Environment.ProcessorCount} cores, load average {_results.LoadAverageAtStart:0.00}; work directory {_workDirectory}");
        await _receiver.StartAsync();
        _redis = SelfStarted || options.Redis is null
            ? await RedisAdmin.StartPrivateAsync(_workDirectory)
            : await RedisAdmin.ConnectAsync(options.Redis);
        _results.Config.Redis = _redis.IsPrivate ? $"private redis-server {_redis.ConnectionString}, AOF off, no RDB snapshots" : _redis.ConnectionString;
        Log($"receiver on 127.0.0.1:{_receiver.Port}; Redis {_results.Config.Redis}");

        if (options.FaultsOnly)
        {
            await FaultPhasesAsync();
            _results.LoadAverageAtEnd = ProcStats.LoadAverage();
            return _results;
        }

        await PhaseAsync("raw HTTP", RawHttpAsync);
        if (options.SkipHangfire)
        {
            _results.Skipped.Add("hangfire: --skip-hangfire");
        }
        else
        {
            await PhaseAsync("hangfire", HangfireAsync);
        }

        // The silo is warmed first (JIT tiering makes a fresh silo's first seconds slow); in a
        // self-started run the M pending creates come first and the create and fire phases then
        // run on a warm silo that holds M pending events, as a loaded service would.
        if (await PhaseAsync("eventd start", StartEventdAsync))
        {
            if (SelfStarted)
            {
                await PhaseAsync("pending", PendingAsync);
            }
            else
            {
                _results.Skipped.Add("pending memory: needs the silo's process (--gateway)");
            }

            await PhaseAsync("create", CreateAsync);
            await PhaseAsync("batch create", BatchCreateAsync);
            await PhaseAsync("fire", async () =>
            {
                await FireWarmUpAsync();
                await FireAsync();
            });
            await PhaseAsync("flow control", FlowControlAsync);
            if (SelfStarted)
            {
                await FaultPhasesAsync();
            }
            else
            {
                _results.Skipped.Add("failover: needs to start and kill silos (--gateway)");
            }
        }

        Ratios();
        _results.LoadAverageAtEnd = ProcStats.LoadAverage();
        return _results;
    }

    /// <summary>Runs a phase; a phase that breaks is reported (and makes the exit code 1) while the others still run.</summary>
    private async Task<bool> PhaseAsync(string name, Func<Task> phase)
    {
        try
        {
            await phase();
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log($"{name} failed: {ex}");
            _results.Failed.Add($"{name}: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
            if (_cluster is not null)
            {
                Log(_cluster.Diagnostics());
            }

            return false;
        }
    }

    private async Task StartEventdAsync()
    {
        if (SelfStarted)
        {
            _cluster = new Cluster(_redis!.ConnectionString, _workDirectory);
            Log("starting one silo and the gateway");
            _cluster.StartSilo();
            _cluster.StartGateway();
            await _cluster.WaitReadyAsync(ReadyTimeout);
            _gateway = _cluster.GatewayUrl;
        }
        else
        {
            _gateway = options.Gateway!;
            using var ready = await _http.GetAsync(new Uri(_gateway, "/readyz"));
            if (ready.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{_gateway}readyz answered {(int)ready.StatusCode}: the cluster is not ready");
            }

            _results.Notes.Add("--gateway: the receiver is on 127.0.0.1, so the cluster must run on this machine and allow private addresses (Development)");
        }

        var warmDue = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
        await WarmUpAsync("eventd", i => CreateEventAsync(warmDue, _receiver.Url("warm", i), i));
    }

    // ------------------------------------------------------------------ 5. the limit

    private async Task RawHttpAsync()
    {
        const string phase = "raw";

        // At least 20,000 requests (about a second): a ceiling measured over 0.1 s says little.
        var count = Math.Max(options.Creates, 20_000);
        Log($"raw HTTP: {count:N0} webhook POSTs straight to the receiver, {options.Concurrency} concurrent");
        await WarmUpAsync("raw", i => PostRawAsync("rawwarm", i));
        var arrivals = _receiver.Expect(phase, count);
        var cpu = StartCpu();
        var result = await Load.RunAsync(count, options.Concurrency, i => PostRawAsync(phase, i));
        EndCpu(phase, cpu);
        Report(phase, result);
        _results.RawHttpPerSec = result.PerSecond;
        _results.RawHttpLatencyMs = result.LatencyMs;
        if (arrivals.Unique != count - result.Errors)
        {
            _results.Notes.Add($"raw HTTP: {arrivals.Unique:N0} arrivals recorded for {count - result.Errors:N0} answered requests");
        }
    }

    private async Task<string?> PostRawAsync(string phase, int index)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _receiver.Url(phase, index)) { Content = Webhook.Body(index) };
        Webhook.AddHeaders(request, $"{phase}.{index}");
        using var response = await _http.SendAsync(request);
        return response.IsSuccessStatusCode ? null : $"receiver answered {(int)response.StatusCode}";
    }

    // ------------------------------------------------------------------ 6. the peer

    private async Task HangfireAsync()
    {
        var hf = new HangfireFigures
        {
            Version = typeof(Hangfire.BackgroundJob).Assembly.GetName().Version?.ToString(3) ?? "?",
        };
        _results.Hangfire = hf;
        var poll = TimeSpan.FromMilliseconds(options.HangfirePollMs);
        using (var peer = new HangfirePeer(_redis!.ConnectionString, _receiver.Port, poll))
        {
            hf.WorkerCount = peer.Options.WorkerCount;
            hf.SchedulePollingIntervalMs = peer.Options.SchedulePollingInterval.TotalMilliseconds;
            Log($"Hangfire {hf.Version}: one server in this process, {hf.WorkerCount} workers, SchedulePollingInterval {hf.SchedulePollingIntervalMs} ms");

            // Create: jobs due an hour ahead.
            var farAhead = DateTimeOffset.UtcNow.AddHours(1);
            await WarmUpAsync("hangfire", i => Task.FromResult(peer.Schedule("hfwarm", i, farAhead)), blocking: true);
            var cpu = StartCpu();
            var redisBefore = await _redis.CommandCallsAsync();
            var create = Load.RunBlocking(options.Creates, options.Concurrency, i => peer.Schedule("hfcreate", i, farAhead));
            EndCpu("hangfire create", cpu);
            await RedisCallsAsync("hangfire create", redisBefore, options.Creates);
            Report("hangfire create", create);
            hf.CreatesPerSec = create.PerSecond;
            hf.CreateLatencyMs = create.LatencyMs;
            hf.CreateErrors = create.Errors;

            // Fire: jobs due across the window.
            var (due, windowStart) = DueTimes(options.Fires, create.PerSecond);
            var arrivals = _receiver.Expect("hf", options.Fires);
            var scheduled = Load.RunBlocking(options.Fires, options.Concurrency,
                i => peer.Schedule("hf", i, DateTimeOffset.FromUnixTimeMilliseconds(due[i])));
            NoteIfLate("hangfire fire", scheduled, windowStart);

            // Measured from here: the deliveries only (and the server's idle polling until the window opens).
            cpu = StartCpu();
            redisBefore = await _redis.CommandCallsAsync();
            var windowEnd = windowStart + BenchOptions.FireWindow;
            await WaitForArrivalsAsync("hangfire fire", arrivals, windowEnd, grace: TimeSpan.FromSeconds(5), quiet: TimeSpan.FromSeconds(20), cap: TimeSpan.FromMinutes(10));
            EndCpu("hangfire fire (deliveries)", cpu);
            await RedisCallsAsync("hangfire fire (deliveries)", redisBefore, options.Fires);
            var figures = ArrivalFigures.From(arrivals.FirstArrivals, due, arrivals.Duplicates);
            Report("hangfire fire", figures);
            hf.DeliveriesPerSec = figures.PeakPerSec;
            hf.DeliveriesPerSecSustained = figures.SustainedPerSec;
            hf.LatenessMs = figures.LatenessMs;
            hf.LostFires = figures.Lost;
            hf.DuplicateFires = figures.Duplicates;
            hf.EarlyFires = figures.Early;
            Log("stopping the Hangfire server");
        }

        if (_redis.IsPrivate)
        {
            await _redis.FlushAllAsync();
        }
        else
        {
            var deleted = await _redis.DeletePrefixAsync(HangfirePeer.Prefix);
            Log($"deleted {deleted:N0} Hangfire keys under {HangfirePeer.Prefix}");
        }
    }

    // ------------------------------------------------------------------ 1. create

    private async Task CreateAsync()
    {
        const string phase = "create";
        var due = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
        Log($"create: {options.Creates:N0} events due in an hour through POST /eventd/v1/events, {options.Concurrency} concurrent");
        var cpu = StartCpu();
        var redisBefore = await _redis!.CommandCallsAsync();
        var result = await Load.RunAsync(options.Creates, options.Concurrency, i => CreateEventAsync(due, _receiver.Url("later", i), i));
        EndCpu(phase, cpu);
        await RedisCallsAsync(phase, redisBefore, options.Creates);
        Report(phase, result);
        _results.CreatesPerSec = result.PerSecond;
        _results.CreateLatencyMs = result.LatencyMs;
        _results.CreateErrors = result.Errors;
    }

    /// <summary>Events of one <c>POST /eventd/v1/events/batch</c> in the batch phase (issue 14 asks for batches of 100).</summary>
    public const int BatchSize = 100;

    /// <summary>The same N events as the create phase, through the batch route, a few batches in flight.</summary>
    private async Task BatchCreateAsync()
    {
        const string phase = "batch create";
        var due = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
        var batches = Math.Max(1, options.Creates / BatchSize);
        var inFlight = Math.Min(options.Concurrency, 16);
        Log($"batch create: {batches * BatchSize:N0} events due in an hour through POST /eventd/v1/events/batch, {BatchSize} a request, {inFlight} requests concurrent");
        var cpu = StartCpu();
        var redisBefore = await _redis!.CommandCallsAsync();
        var started = Stopwatch.GetTimestamp();
        var result = await Load.RunAsync(batches, inFlight, b => CreateBatchAsync(due, b));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        EndCpu(phase, cpu);
        await RedisCallsAsync(phase, redisBefore, batches * BatchSize);
        Report(phase, result);
        _results.BatchCreatesPerSec = (batches - result.Errors) * BatchSize / seconds;
        Log(string.Create(CultureInfo.InvariantCulture, $"batch create: {_results.BatchCreatesPerSec:N0} events/s"));
    }

    private async Task<string?> CreateBatchAsync(long timestampMs, int batch)
    {
        var items = Enumerable.Range(batch * BatchSize, BatchSize).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $$"""{"timestamp":{{timestampMs}},"url":"{{_receiver.Url("batched", i)}}","data":{{Webhook.Data(i)}}}"""));
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes($$"""{"events":[{{string.Join(',', items)}}]}"""));
        content.Headers.ContentType = new("application/json");
        using var response = await _http.PostAsync(new Uri(_gateway!, "/eventd/v1/events/batch"), content);
        var text = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.OK && !text.Contains("\"ok\":false", StringComparison.Ordinal)
            ? null
            : $"batch answered {(int)response.StatusCode}: {text[..Math.Min(200, text.Length)]}";
    }

    private async Task<string?> CreateEventAsync(long timestampMs, string url, int index)
    {
        var body = string.Create(CultureInfo.InvariantCulture, $$"""{"timestamp":{{timestampMs}},"url":"{{url}}","data":{{Webhook.Data(index)}}}""");
        return await PostCreateAsync(body);
    }

    private async Task<string?> PostCreateAsync(string body)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new("application/json");
        using var response = await _http.PostAsync(new Uri(_gateway!, "/eventd/v1/events"), content);
        return response.StatusCode == HttpStatusCode.Created
            ? null
            : $"create answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
    }

    // ------------------------------------------------------------------ 2. fire

    /// <summary>A few hundred fires due 2-3 s ahead, waited for, so the measured window does not pay for the first deliveries' JIT.</summary>
    private async Task FireWarmUpAsync()
    {
        var count = Math.Min(500, options.Fires);
        var startMs = DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeMilliseconds();
        var log = _receiver.Expect("firewarm", count);
        var created = await Load.RunAsync(count, options.Concurrency, i => CreateEventAsync(startMs + (i * 1000L / count), _receiver.Url("firewarm", i), i));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (log.Unique < count - created.Errors && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Log($"fire: warmed up with {log.Unique:N0} fires");
    }

    private async Task FireAsync()
    {
        const string phase = "fire";
        var count = options.Fires;
        var (due, windowStart) = DueTimes(count, _results.CreatesPerSec ?? 1000);
        Log($"fire: {count:N0} events due across {BenchOptions.FireWindow.TotalSeconds} s from {windowStart:HH:mm:ss.fff} ({count / BenchOptions.FireWindow.TotalSeconds:N0}/s offered)");
        var arrivals = _receiver.Expect(phase, count);
        var created = await Load.RunAsync(count, options.Concurrency, i => CreateEventAsync(due[i], _receiver.Url(phase, i), i));
        NoteIfLate(phase, created, windowStart);
        var windowEnd = windowStart + BenchOptions.FireWindow;

        // Measured from here: the fires and their deliveries only (the creates are done).
        var cpu = StartCpu();
        var redisBefore = await _redis!.CommandCallsAsync();

        // A missed timer is caught by the backstop reminder (15 s period): wait past it before calling a fire lost.
        await WaitForArrivalsAsync(phase, arrivals, windowEnd, grace: TimeSpan.FromSeconds(20), quiet: TimeSpan.FromSeconds(10), cap: TimeSpan.FromMinutes(5));
        EndCpu("fire (deliveries)", cpu);
        await RedisCallsAsync("fire (deliveries)", redisBefore, count);
        var figures = ArrivalFigures.From(arrivals.FirstArrivals, due, arrivals.Duplicates);
        Report(phase, figures);
        _results.OfferedFiresPerSec = count / BenchOptions.FireWindow.TotalSeconds;
        _results.DeliveriesPerSec = figures.PeakPerSec;
        _results.DeliveriesPerSecSustained = figures.SustainedPerSec;
        _results.LatenessMs = figures.LatenessMs;
        _results.LostFires = figures.Lost;
        _results.DuplicateFires = figures.Duplicates;
        _results.EarlyFires = figures.Early;
        if (created.Errors > 0)
        {
            _results.Notes.Add($"fire: {created.Errors} creates failed ({created.FirstError}); they count as lost");
        }
    }

    // ------------------------------------------------------------------ 3. pending

    private async Task PendingAsync()
    {
        const string phase = "pending";
        var cluster = _cluster!;
        var silo = cluster.Silos[0];
        var count = options.Pending;
        var p = new PendingFigures { Events = count };
        _results.Pending = p;

        var (before, rssBefore) = await SettledFiguresAsync(cluster, silo, TimeSpan.FromSeconds(1));
        p.SiloRssBefore = rssBefore;
        p.SiloGcHeapBefore = before.GcHeapBytes;
        p.RedisUsedMemoryBefore = await _redis!.UsedMemoryAsync();
        p.EventActivationsBefore = before.EventActivations;
        Log($"pending: silo RSS {Mb(p.SiloRssBefore)}, GC heap {Mb(p.SiloGcHeapBefore)}, Redis {Mb(p.RedisUsedMemoryBefore)}, {p.EventActivationsBefore:N0} event activations, grain directory cache {before.DirectoryCacheSize:N0} entries before");

        Log($"pending: creating {count:N0} events due in a day, {options.Concurrency} concurrent");
        var due = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds();
        var cpu = StartCpu();
        var redisBefore = await _redis.CommandCallsAsync();
        var progress = StartProgress(phase, () => Volatile.Read(ref _pendingCreated), count);
        var result = await Load.RunAsync(count, options.Concurrency, async i =>
        {
            var error = await CreateEventAsync(due + i, _receiver.Url("pending", i), i);
            Interlocked.Increment(ref _pendingCreated);
            return error;
        });
        await progress.DisposeAsync();
        EndCpu(phase, cpu);
        await RedisCallsAsync(phase, redisBefore, count);
        Report(phase, result);
        p.CreatesPerSec = result.PerSecond;
        p.CreateErrors = result.Errors;
        var stored = count - result.Errors;

        // Grains as they are after the creates (Orleans collects idle activations after 15 min).
        await Task.Delay(2000);
        var (active, rssActive) = await SettledFiguresAsync(cluster, silo, TimeSpan.FromSeconds(1));
        p.SiloRssActive = rssActive;
        p.SiloGcHeapActive = active.GcHeapBytes;
        p.EventActivationsActive = active.EventActivations;
        p.RemindersActive = active.RemindersActive;
        p.RemindersInRedis = await _redis.Multiplexer.GetDatabase().SortedSetLengthAsync("eventd/reminders");
        p.RedisUsedMemoryAfter = await _redis.UsedMemoryAsync();
        Log($"pending: grains active: silo RSS {Mb(p.SiloRssActive)}, GC heap {Mb(p.SiloGcHeapActive)}, {p.EventActivationsActive:N0} event activations, {p.RemindersActive:N0} reminders in the silo ({p.RemindersInRedis:N0} in Redis); Redis {Mb(p.RedisUsedMemoryAfter)}");

        // Grains deactivated, as they are once idle past the collection age: only reminders stay in memory.
        Log("pending: forcing the collection of idle activations (management grain ForceActivationCollection)");
        var collect = (await cluster.ManagementAsync()).ForceActivationCollection(TimeSpan.FromSeconds(1));
        try
        {
            await collect.WaitAsync(TimeSpan.FromMinutes(3));
        }
        catch (Exception ex) when (ex is TimeoutException or Orleans.Runtime.OrleansException)
        {
            Log($"pending: ForceActivationCollection did not answer ({ex.GetType().Name}); watching the activation count instead");
        }

        await WaitForStableActivationsAsync(cluster, silo);
        var (inactive, rssInactive) = await SettledFiguresAsync(cluster, silo, TimeSpan.FromSeconds(2));
        p.SiloRssInactive = rssInactive;
        p.SiloGcHeapInactive = inactive.GcHeapBytes;
        p.EventActivationsInactive = inactive.EventActivations;
        p.RemindersInactive = inactive.RemindersActive;
        Log($"pending: grains collected: silo RSS {Mb(p.SiloRssInactive)}, GC heap {Mb(p.SiloGcHeapInactive)}, {p.EventActivationsInactive:N0} event activations, {p.RemindersInactive:N0} reminders in the silo");

        // Orleans 10 keeps in memory only reminders due within ReminderLoadingWindow (10 min); a new
        // far one stays as a local entry until the next reminder-table refresh (every 5 min) drops it.
        // Only worth waiting for when the silo holds a reminder per event (time buckets hold a few).
        var reminderPerEvent = stored > 0 && p.RemindersInactive > stored / 2;
        if (reminderPerEvent && options.Quick)
        {
            _results.Notes.Add("pending (--quick): not waiting for the silo's reminder refresh (up to 5 min); the silo still holds an entry per new reminder");
        }
        else if (reminderPerEvent)
        {
            Log("pending: waiting for the silo's reminder-table refresh (every 5 min) to drop reminders beyond the 10-min loading window");
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(6);
            var reminders = p.RemindersInactive;
            while (DateTime.UtcNow < deadline && reminders > p.RemindersInactive - (stored / 2))
            {
                await Task.Delay(5000);
                reminders = (await cluster.MetricsAsync(silo)).RemindersActive;
            }

            // The refresh reads the silo's whole reminder range from Redis: let it finish before the GC.
            await Task.Delay(TimeSpan.FromSeconds(15));
            var (settled, rssSettled) = await SettledFiguresAsync(cluster, silo, TimeSpan.FromSeconds(2));
            p.SiloRssSettled = rssSettled;
            p.SiloGcHeapSettled = settled.GcHeapBytes;
            p.RemindersSettled = settled.RemindersActive;
            p.SiloBytesPerPendingEventSettled = (p.SiloRssSettled - p.SiloRssBefore) / (double)stored;
            p.SiloGcHeapBytesPerPendingEventSettled = (p.SiloGcHeapSettled - p.SiloGcHeapBefore) / (double)stored;
            Log($"pending: after the refresh: silo RSS {Mb(p.SiloRssSettled.Value)}, GC heap {Mb(p.SiloGcHeapSettled.Value)}, {p.RemindersSettled:N0} reminders in the silo, grain directory cache {settled.DirectoryCacheSize:N0} entries");
        }

        if (stored > 0)
        {
            _results.SiloBytesPerPendingEvent = (p.SiloRssInactive - p.SiloRssBefore) / (double)stored;
            _results.RedisBytesPerPendingEvent = (p.RedisUsedMemoryAfter - p.RedisUsedMemoryBefore) / (double)stored;
            p.SiloBytesPerPendingEventActive = (p.SiloRssActive - p.SiloRssBefore) / (double)stored;
            p.SiloGcHeapBytesPerPendingEventActive = (p.SiloGcHeapActive - p.SiloGcHeapBefore) / (double)stored;
            p.SiloGcHeapBytesPerPendingEventInactive = (p.SiloGcHeapInactive - p.SiloGcHeapBefore) / (double)stored;
        }
    }

    private int _pendingCreated;

    /// <summary>The silo's figures after a forced full GC and a moment for its heap and RSS to settle.</summary>
    private static async Task<(SiloMetrics Metrics, long Rss)> SettledFiguresAsync(Cluster cluster, ChildProcess silo, TimeSpan settle)
    {
        await cluster.ForceGcAsync();
        await Task.Delay(settle);
        return (await cluster.MetricsAsync(silo), silo.RssBytes ?? 0);
    }

    private static async Task WaitForStableActivationsAsync(Cluster cluster, ChildProcess silo)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        long last = -1;
        var stableFor = 0;
        while (DateTime.UtcNow < deadline && stableFor < 3)
        {
            await Task.Delay(1000);
            var now = (await cluster.MetricsAsync(silo)).EventActivations;
            stableFor = now == last ? stableFor + 1 : 0;
            last = now;
        }
    }

    // ------------------------------------------------------------------ helpers

    private static async Task DelayUntil(DateTimeOffset at)
    {
        var wait = at - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }

    /// <summary>
    /// Due times for <paramref name="count"/> events spread evenly over the fire window, which starts
    /// once the creates are expected to be done (at the measured create rate, with a margin).
    /// </summary>
    private static (long[] Due, DateTimeOffset WindowStart) DueTimes(int count, double createsPerSec)
    {
        var createTime = TimeSpan.FromSeconds(count / Math.Max(createsPerSec, 1) * 1.5);
        var lead = TimeSpan.FromSeconds(3) + createTime;
        var windowStart = DateTimeOffset.FromUnixTimeMilliseconds((DateTimeOffset.UtcNow + lead).ToUnixTimeMilliseconds());
        var startMs = windowStart.ToUnixTimeMilliseconds();
        var windowMs = BenchOptions.FireWindow.TotalMilliseconds;
        var due = Enumerable.Range(0, count).Select(i => startMs + (long)(i * windowMs / count)).ToArray();
        return (due, windowStart);
    }

    private void NoteIfLate(string phase, LoadResult created, DateTimeOffset windowStart)
    {
        Report($"{phase} (creates)", created);
        var overrun = DateTimeOffset.UtcNow - windowStart;
        if (overrun > TimeSpan.Zero)
        {
            _results.Notes.Add($"{phase}: the creates ended {overrun.TotalSeconds:0.0} s into the fire window (creates and fires overlapped)");
        }
    }

    private static async Task WaitForArrivalsAsync(string phase, ArrivalLog log, DateTimeOffset windowEnd, TimeSpan grace, TimeSpan quiet, TimeSpan cap)
    {
        var lastUnique = -1;
        var lastProgress = DateTimeOffset.UtcNow;
        var lastReport = DateTimeOffset.UtcNow;
        while (true)
        {
            var now = DateTimeOffset.UtcNow;
            var unique = log.Unique;
            if (unique >= log.Expected)
            {
                // Linger a moment so an immediate duplicate is still counted.
                await Task.Delay(1000);
                return;
            }

            if (unique != lastUnique)
            {
                lastUnique = unique;
                lastProgress = now;
            }

            if ((now > windowEnd + grace && now - lastProgress > quiet) || now > windowEnd + cap)
            {
                Log($"{phase}: stopped waiting with {unique:N0} of {log.Expected:N0} arrived");
                return;
            }

            if (now - lastReport > TimeSpan.FromSeconds(5))
            {
                Log($"{phase}: {unique:N0} of {log.Expected:N0} arrived");
                lastReport = now;
            }

            await Task.Delay(100);
        }
    }

    private static Progress StartProgress(string phase, Func<int> done, int total)
    {
        var cts = new CancellationTokenSource();
        var task = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    await Task.Delay(TimeSpan.FromSeconds(10), cts.Token);
                    Log($"{phase}: {done():N0} of {total:N0}");
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        return new Progress(cts, task);
    }

    private sealed class Progress(CancellationTokenSource cts, Task task) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await cts.CancelAsync();
            await task;
            cts.Dispose();
        }
    }

    /// <summary>
    /// Runs the operation before a measured batch, in batches of 500 with C concurrent clients, until
    /// 5 s have passed (2 s with --quick): JIT tiering and connection pools settle before the clock starts.
    /// </summary>
    private async Task WarmUpAsync(string phase, Func<int, Task<string?>> operation, bool blocking = false)
    {
        const int batch = 500;
        var until = Stopwatch.GetTimestamp() + (long)((options.Quick ? 2 : 5) * Stopwatch.Frequency);
        var done = 0;
        LoadResult? last = null;
        while (done == 0 || Stopwatch.GetTimestamp() < until)
        {
            var offset = done;
            last = blocking
                ? Load.RunBlocking(batch, options.Concurrency, i => operation(offset + i).GetAwaiter().GetResult())
                : await Load.RunAsync(batch, options.Concurrency, i => operation(offset + i));
            done += batch;
        }

        Log($"{phase}: warmed up with {done:N0} operations{(last!.Errors > 0 ? $" ({last.Errors} errors in the last batch: {last.FirstError})" : "")}");
    }

    private (DateTimeOffset At, Dictionary<string, double> Cpu) StartCpu() => (DateTimeOffset.UtcNow, CpuNow());

    private Dictionary<string, double> CpuNow()
    {
        var cpu = new Dictionary<string, double>
        {
            ["bench (client, receiver, Hangfire)"] = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds,
        };
        if (_redis?.Process is { } redis)
        {
            cpu["redis-server"] = redis.CpuSeconds;
        }

        foreach (var process in _cluster?.Silos.Append(_cluster.Gateway).OfType<ChildProcess>() ?? [])
        {
            cpu[process.Name] = process.CpuSeconds;
        }

        return cpu;
    }

    private void EndCpu(string phase, (DateTimeOffset At, Dictionary<string, double> Cpu) before)
    {
        var after = CpuNow();
        var used = after.ToDictionary(kv => kv.Key, kv => Math.Round(Math.Max(0, kv.Value - before.Cpu.GetValueOrDefault(kv.Key)), 2));
        _results.Cpu[phase] = new PhaseCpu(Math.Round((DateTimeOffset.UtcNow - before.At).TotalSeconds, 2), used);
    }

    private async Task RedisCallsAsync(string phase, Dictionary<string, long> before, int events)
    {
        if (!phase.StartsWith("hangfire", StringComparison.Ordinal) && !SelfStarted && options.Redis is null)
        {
            return; // --gateway without --redis: this Redis is the Hangfire peer's, not the cluster's
        }

        var after = await _redis!.CommandCallsAsync();
        var delta = after
            .Select(kv => (kv.Key, Calls: kv.Value - before.GetValueOrDefault(kv.Key)))
            .Where(c => c.Calls > 0 && c.Key is not "info")
            .OrderByDescending(c => c.Calls)
            .ToDictionary(c => c.Key, c => Math.Round(c.Calls / (double)events, 2));
        _results.RedisCallsPerEvent[phase] = new RedisCalls(Math.Round(delta.Values.Sum(), 2), delta);
    }

    private void Ratios()
    {
        var raw = _results.RawHttpPerSec;
        var hf = _results.Hangfire;
        _results.FractionOfRawHttp["createsPerSec"] = Ratio(_results.CreatesPerSec, raw);
        _results.FractionOfRawHttp["deliveriesPerSec"] = Ratio(_results.DeliveriesPerSec, raw);
        _results.FractionOfRawHttp["hangfire.createsPerSec"] = Ratio(hf?.CreatesPerSec, raw);
        _results.FractionOfRawHttp["hangfire.deliveriesPerSec"] = Ratio(hf?.DeliveriesPerSec, raw);
        _results.EventdOverHangfire["createsPerSec"] = Ratio(_results.CreatesPerSec, hf?.CreatesPerSec);
        _results.EventdOverHangfire["createLatencyP50"] = Ratio(_results.CreateLatencyMs?.P50, hf?.CreateLatencyMs?.P50);
        _results.EventdOverHangfire["createLatencyP99"] = Ratio(_results.CreateLatencyMs?.P99, hf?.CreateLatencyMs?.P99);
        _results.EventdOverHangfire["deliveriesPerSec"] = Ratio(_results.DeliveriesPerSec, hf?.DeliveriesPerSec);
        _results.EventdOverHangfire["latenessP50"] = Ratio(_results.LatenessMs?.P50, hf?.LatenessMs?.P50);
        _results.EventdOverHangfire["latenessP95"] = Ratio(_results.LatenessMs?.P95, hf?.LatenessMs?.P95);
        _results.EventdOverHangfire["latenessP99"] = Ratio(_results.LatenessMs?.P99, hf?.LatenessMs?.P99);
        _results.EventdOverHangfire["latenessMax"] = Ratio(_results.LatenessMs?.Max, hf?.LatenessMs?.Max);
    }

    internal static double? Ratio(double? a, double? b) => a is { } x && b is { } y && x > 0 && y > 0 ? x / y : null;

    private static void Report(string phase, LoadResult r) =>
        Log($"{phase}: {r.Count - r.Errors:N0} in {r.Elapsed.TotalSeconds:0.00} s = {r.PerSecond:N0}/s, latency p50 {r.LatencyMs?.P50:0.0} ms p99 {r.LatencyMs?.P99:0.0} ms"
            + (r.Errors > 0 ? $", {r.Errors} errors (first: {r.FirstError})" : ""));

    private static void Report(string phase, ArrivalFigures f) =>
        Log($"{phase}: {f.Arrived:N0}/{f.Expected:N0} arrived, lost {f.Lost}, duplicates {f.Duplicates}, early {f.Early}, peak {f.PeakPerSec:N0}/s, "
            + $"lateness p50 {f.LatenessMs?.P50:0.0} p95 {f.LatenessMs?.P95:0.0} p99 {f.LatenessMs?.P99:0.0} max {f.LatenessMs?.Max:0.0} ms");

    private static string Mb(long bytes) => $"{bytes / 1048576.0:N1} MiB";

    public static void Log(string message) =>
        Console.Error.WriteLine($"[bench {DateTime.Now:HH:mm:ss}] {message}");

    public ValueTask DisposeAsync() => DisposeAsync(keepLogs: false);

    /// <summary>Stops everything this run started; the process logs are deleted unless asked to keep them.</summary>
    public async ValueTask DisposeAsync(bool keepLogs)
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        await _receiver.DisposeAsync();
        _http.Dispose();
        ChildProcess.KillAll();
        if (!keepLogs)
        {
            try
            {
                Directory.Delete(_workDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Where the processes' logs are kept while the run lasts.</summary>
    public string WorkDirectory => _workDirectory;
}
