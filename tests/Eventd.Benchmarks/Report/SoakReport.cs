using System.Globalization;
using System.Text;

namespace Eventd.Benchmarks.Report;

/// <summary>One sample of a soak: what Redis and the processes hold, and how the deliveries went since the last one.</summary>
public sealed record SoakSample(
    TimeSpan Elapsed,
    long RedisUsedBytes,
    long RedisKeys,
    long? SiloRssBytes,
    long? GatewayRssBytes,
    double DeliveriesPerSec,
    double? LatenessP99Ms,
    int Created,
    int Lost);

/// <summary>
/// A soak's samples as a table, and whether Redis memory levelled off: the last third of the samples
/// within ±<see cref="LevelTolerance"/> of their mean.
/// </summary>
public sealed record SoakReport(int Rate, int Minutes, TimeSpan Retention, IReadOnlyList<SoakSample> Samples, int Created, int CreateErrors, int Lost)
{
    public const double LevelTolerance = 0.10;

    /// <summary>The last third of the samples (at least two); null when there are too few to judge.</summary>
    public IReadOnlyList<SoakSample>? LastThird =>
        Samples.Count < 3 ? null : [.. Samples.Skip(Samples.Count - Math.Max(2, (Samples.Count + 2) / 3))];

    /// <summary>The largest distance of a last-third sample from their mean, as a fraction of the mean.</summary>
    public double? Spread => LastThird is { } last && last.Average(s => (double)s.RedisUsedBytes) is var mean and > 0
        ? last.Max(s => Math.Abs(s.RedisUsedBytes - mean)) / mean
        : null;

    public bool LevelledOff => Spread is { } spread && spread <= LevelTolerance;

    public string Render()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"Soak: {Rate} events/s for {Minutes} min, each due within 10 s; settled events kept {Retention.TotalSeconds:0} s");
        text.AppendLine();
        text.AppendLine("| t | Redis used_memory | keys | silo RSS | gateway RSS | deliveries/s | lateness p99 | created | lost |");
        text.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var s in Samples)
        {
            text.AppendLine(c, $"| {s.Elapsed:mm\\:ss} | {Mb(s.RedisUsedBytes)} | {s.RedisKeys:N0} | {Mb(s.SiloRssBytes)} | {Mb(s.GatewayRssBytes)} | {s.DeliveriesPerSec:N0} | {(s.LatenessP99Ms is { } p99 ? $"{p99:N0} ms" : "-")} | {s.Created:N0} | {s.Lost:N0} |");
        }

        text.AppendLine();
        text.AppendLine(c, $"created {Created:N0} ({CreateErrors:N0} creates refused), lost {Lost:N0} (created, never delivered)");
        text.AppendLine(Spread is { } spread
            ? string.Create(c, $"Redis memory levelled off: {(LevelledOff ? "yes" : "no")} (the last {LastThird!.Count} samples within {spread:P1} of their mean; the bar is {LevelTolerance:P0})")
            : "Redis memory levelled off: too few samples to say (run longer)");
        return text.ToString();
    }

    private static string Mb(long? bytes) => bytes is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b / 1048576.0:N1} MiB") : "-";
}
