using System.Globalization;
using System.Text;

namespace Eventd.Benchmarks.Report;

/// <summary>The run as markdown: every figure, then where the CPU and the Redis commands went.</summary>
public static class Table
{
    private const string None = "–";

    public static string Render(Results r)
    {
        var hf = r.Hangfire;
        var p = r.Pending;
        var f = r.Failover;
        var c = r.Config;
        var sb = new StringBuilder();
        sb.AppendLine(Inv($"Eventd benchmark: {r.Cores} cores, {c.Build} build, {Mode(r)}; load average {r.LoadAverageAtStart:0.00} at start, {r.LoadAverageAtEnd:0.00} at end."));
        var scale = r.Mode == "gateway" ? "" : Inv($" M = {c.Pending:N0} pending; failover {c.FailoverEvents:N0} events.");
        sb.AppendLine(Inv($"N = {c.Creates:N0} creates (C = {c.Concurrency}); {c.Fires:N0} fires due across {c.FireWindowSeconds:0} s ({r.OfferedFiresPerSec ?? c.Fires / c.FireWindowSeconds:N0}/s offered);{scale} Redis: {c.Redis}."));
        sb.AppendLine();
        sb.AppendLine(Inv($"| figure | Eventd | Hangfire {hf?.Version ?? ""} | Eventd / Hangfire |"));
        sb.AppendLine("| --- | ---: | ---: | ---: |");
        Row(sb, "creates/s (share of raw HTTP)", Rate(r.CreatesPerSec, r.RawHttpPerSec), Rate(hf?.CreatesPerSec, r.RawHttpPerSec), X(r.CreatesPerSec, hf?.CreatesPerSec));
        Row(sb, Inv($"creates/s through batches of {Benchmark.BatchSize:N0} (share of raw HTTP)"), Rate(r.BatchCreatesPerSec, r.RawHttpPerSec), None, None);
        Row(sb, "create latency p50 / p99 (ms)", Pair(r.CreateLatencyMs?.P50, r.CreateLatencyMs?.P99), Pair(hf?.CreateLatencyMs?.P50, hf?.CreateLatencyMs?.P99),
            PairX(r.CreateLatencyMs?.P50, hf?.CreateLatencyMs?.P50, r.CreateLatencyMs?.P99, hf?.CreateLatencyMs?.P99));
        Row(sb, "deliveries/s, busiest 1 s (share of raw HTTP)", Rate(r.DeliveriesPerSec, r.RawHttpPerSec), Rate(hf?.DeliveriesPerSec, r.RawHttpPerSec), X(r.DeliveriesPerSec, hf?.DeliveriesPerSec));
        Row(sb, "deliveries/s, first to last arrival", N(r.DeliveriesPerSecSustained), N(hf?.DeliveriesPerSecSustained), X(r.DeliveriesPerSecSustained, hf?.DeliveriesPerSecSustained));
        Row(sb, "lateness p50 (ms)", Ms(r.LatenessMs?.P50), Ms(hf?.LatenessMs?.P50), X(r.LatenessMs?.P50, hf?.LatenessMs?.P50));
        Row(sb, "lateness p95 (ms)", Ms(r.LatenessMs?.P95), Ms(hf?.LatenessMs?.P95), X(r.LatenessMs?.P95, hf?.LatenessMs?.P95));
        Row(sb, "lateness p99 (ms)", Ms(r.LatenessMs?.P99), Ms(hf?.LatenessMs?.P99), X(r.LatenessMs?.P99, hf?.LatenessMs?.P99));
        Row(sb, "lateness max (ms)", Ms(r.LatenessMs?.Max), Ms(hf?.LatenessMs?.Max), X(r.LatenessMs?.Max, hf?.LatenessMs?.Max));
        Row(sb, "fires before their due time", N(r.EarlyFires), N(hf?.EarlyFires), None);
        Row(sb, "lost fires", N(r.LostFires), N(hf?.LostFires), None);
        Row(sb, "duplicate fires", N(r.DuplicateFires), N(hf?.DuplicateFires), None);
        Row(sb, "Redis commands per create / per fire (INFO commandstats, calls inside scripts counted)",
            $"{Fmt(CommandsPer(r, "create"), "0.00")} / {Fmt(CommandsPer(r, "fire (deliveries)"), "0.00")}",
            $"{Fmt(CommandsPer(r, "hangfire create"), "0.00")} / {Fmt(CommandsPer(r, "hangfire fire (deliveries)"), "0.00")}", None);
        Row(sb, "CPU per create: silo / gateway / Redis (ms)",
            $"{Fmt(CpuPer(r, "create", c.Creates, "silo"), "0.000")} / {Fmt(CpuPer(r, "create", c.Creates, "gateway"), "0.000")} / {Fmt(CpuPer(r, "create", c.Creates, "redis"), "0.000")}", None, None);
        Row(sb, "CPU per fire: silo / Redis (ms; the phase's CPU over its fires, idle work included, so high at low rates)",
            $"{Fmt(CpuPer(r, "fire (deliveries)", c.Fires, "silo"), "0.000")} / {Fmt(CpuPer(r, "fire (deliveries)", c.Fires, "redis"), "0.000")}", None, None);
        Row(sb, "raw HTTP requests/s (same client, straight to the receiver)", N(r.RawHttpPerSec), None, None);
        Row(sb, "raw HTTP latency p50 / p99 (ms)", Pair(r.RawHttpLatencyMs?.P50, r.RawHttpLatencyMs?.P99), None, None);
        Row(sb, "silo RSS per pending event: after creates / grains deactivated / after reminder refresh (bytes)",
            p is null ? None : $"{N(p.SiloBytesPerPendingEventActive)} / {N(r.SiloBytesPerPendingEvent)} / {N(p.SiloBytesPerPendingEventSettled)}", None, None);
        Row(sb, "silo GC heap per pending event: after creates / grains deactivated / after reminder refresh (bytes)",
            p is null ? None : $"{N(p.SiloGcHeapBytesPerPendingEventActive)} / {N(p.SiloGcHeapBytesPerPendingEventInactive)} / {N(p.SiloGcHeapBytesPerPendingEventSettled)}", None, None);
        Row(sb, "Redis used_memory per pending event (bytes)", N(r.RedisBytesPerPendingEvent), None, None);
        Row(sb, "event grain activations: before / after creates / after forced collection", p is null ? None : Inv($"{p.EventActivationsBefore:N0} / {p.EventActivationsActive:N0} / {p.EventActivationsInactive:N0}"), None, None);
        Row(sb, "reminders in Redis / held in the silo after creates / after reminder refresh", p is null ? None : $"{N(p.RemindersInRedis)} / {N(p.RemindersActive)} / {N(p.RemindersSettled)}", None, None);
        Row(sb, "silo RSS before / after creates / deactivated / after refresh (MiB)",
            p is null ? None : $"{Mib(p.SiloRssBefore)} / {Mib(p.SiloRssActive)} / {Mib(p.SiloRssInactive)} / {(p.SiloRssSettled is { } s ? Mib(s) : None)}", None, None);
        Row(sb, "creates/s while filling M pending", N(p?.CreatesPerSec), None, None);
        Row(sb, "failover: lost fires (must be 0)", N(f?.LostFires), None, None);
        Row(sb, "failover: worst lateness (ms)", Ms(f?.WorstLatenessMs), None, None);
        Row(sb, "failover: lateness p50 / p99 (ms)", Pair(f?.LatenessMs?.P50, f?.LatenessMs?.P99), None, None);
        var fc = r.FlowControl;
        Row(sb, Inv($"flow control: starts/s of a rate: {fc?.Rate ?? 100} key under {fc?.OfferedPerSec ?? 2000:N0} fires/s offered / busiest 1 s"),
            fc is null ? None : $"{Fmt(fc.StartsPerSec, "0.0")} / {fc.BusiestSecond}", None, None);
        Row(sb, "failover: duplicate / early fires", f is null ? None : Inv($"{f.DuplicateFires:N0} / {f.EarlyFires:N0}"), None, None);
        foreach (var (name, fault) in new[] { ("a silo stopped (SIGTERM)", r.GracefulStop), ("Redis paused 3 s", r.RedisPause) })
        {
            Row(sb, $"{name}: lost / duplicate / early fires", fault is null ? None : Inv($"{fault.LostFires:N0} / {fault.DuplicateFires:N0} / {fault.EarlyFires:N0}"), None, None);
            Row(sb, $"{name}: lateness p50 / p99 / worst (ms)", fault is null ? None : $"{Pair(fault.LatenessMs?.P50, fault.LatenessMs?.P99)} / {Ms(fault.WorstLatenessMs)}", None, None);
        }

        Row(sb, "Redis paused 3 s: worst fire after Redis was back (ms; due in the pause: from its end)", Ms(r.RedisPause?.WorstAfterFaultEndedMs), None, None);

        if (r.Cpu.Count > 0)
        {
            var processes = r.Cpu.Values.SelectMany(v => v.CpuSeconds.Keys).Distinct().ToList();
            sb.AppendLine();
            sb.AppendLine("CPU seconds used in each phase (2 cores = 2 CPU seconds per wall second):");
            sb.AppendLine();
            sb.AppendLine("| phase | wall s | " + string.Join(" | ", processes) + " |");
            sb.AppendLine("| --- | ---: | " + string.Join(" | ", processes.Select(_ => "---:")) + " |");
            foreach (var (phase, cpu) in r.Cpu)
            {
                sb.AppendLine(Inv($"| {phase} | {cpu.WallSeconds:0.0} | ") + string.Join(" | ", processes.Select(n => cpu.CpuSeconds.TryGetValue(n, out var s) ? Inv($"{s:0.0}") : None)) + " |");
            }
        }

        if (r.RedisCallsPerEvent.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Redis commands per event (INFO commandstats):");
            sb.AppendLine();
            sb.AppendLine("| phase | total | by command |");
            sb.AppendLine("| --- | ---: | --- |");
            foreach (var (phase, calls) in r.RedisCallsPerEvent)
            {
                sb.AppendLine(Inv($"| {phase} | {calls.Total:0.##} | ") + string.Join(", ", calls.ByCommand.Take(8).Select(kv => Inv($"{kv.Key} {kv.Value:0.##}"))) + " |");
            }
        }

        foreach (var failed in r.Failed)
        {
            sb.AppendLine().Append("FAILED: ").Append(failed);
        }

        foreach (var skipped in r.Skipped)
        {
            sb.AppendLine().Append("Skipped: ").Append(skipped);
        }

        foreach (var note in r.Notes)
        {
            sb.AppendLine().Append("Note: ").Append(note);
        }

        return sb.ToString().TrimEnd() + "\n";
    }

    private static string Mode(Results r) => r.Mode == "gateway"
        ? $"a running cluster at {r.Config.Gateway}"
        : "one silo + gateway + redis-server + this process (client, receiver, Hangfire) on this machine";

    private static double? CommandsPer(Results r, string phase) => r.RedisCallsPerEvent.TryGetValue(phase, out var calls) ? calls.Total : null;

    /// <summary>CPU milliseconds per event of a phase, summed over the processes whose name starts with <paramref name="process"/>.</summary>
    private static double? CpuPer(Results r, string phase, int events, string process) =>
        events > 0 && r.Cpu.TryGetValue(phase, out var cpu) && cpu.CpuSeconds.Keys.Any(name => name.StartsWith(process, StringComparison.Ordinal))
            ? cpu.CpuSeconds.Where(kv => kv.Key.StartsWith(process, StringComparison.Ordinal)).Sum(kv => kv.Value) * 1000 / events
            : null;

    private static void Row(StringBuilder sb, string name, string eventd, string hangfire, string ratio) =>
        sb.AppendLine($"| {name} | {eventd} | {hangfire} | {ratio} |");

    private static string N(double? v) => v is { } x && !double.IsNaN(x) ? Inv($"{x:N0}") : None;

    private static string Ms(double? v) => v is { } x ? Inv($"{x:N1}") : None;

    private static string Rate(double? v, double? raw) =>
        v is null ? None : raw is > 0 ? Inv($"{v:N0} ({v / raw:P0})") : N(v);

    private static string Pair(double? a, double? b, string format = "N1") =>
        a is null && b is null ? None : $"{Fmt(a, format)} / {Fmt(b, format)}";

    private static string Fmt(double? v, string format) => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : None;

    /// <summary>Eventd's figure over Hangfire's; none where either is not positive (an early p50 has no ratio).</summary>
    private static string X(double? eventd, double? hangfire) =>
        eventd > 0 && hangfire > 0 && Benchmark.Ratio(eventd, hangfire) is { } x ? x.ToString("G3", CultureInfo.InvariantCulture) : None;

    private static string PairX(double? a1, double? b1, double? a2, double? b2) => $"{X(a1, b1)} / {X(a2, b2)}";

    private static string Mib(long bytes) => Inv($"{bytes / 1048576.0:N0}");

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
