namespace Eventd.Benchmarks.Report;

public sealed record Percentiles(double P50, double P95, double P99, double Max)
{
    /// <summary>Nearest-rank percentiles of the values (which it sorts in place); null when empty.</summary>
    public static Percentiles? Of(double[] values)
    {
        if (values.Length == 0)
        {
            return null;
        }

        Array.Sort(values);
        return new Percentiles(Rank(values, 50), Rank(values, 95), Rank(values, 99), values[^1]);
    }

    private static double Rank(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>What a batch of arrivals says: rates and lateness against known due times.</summary>
public sealed record ArrivalFigures(
    int Expected,
    int Arrived,
    int Lost,
    int Duplicates,
    int Early,
    double PeakPerSec,
    double SustainedPerSec,
    Percentiles? LatenessMs)
{
    /// <param name="firstArrivals">UTC ticks of the first arrival per index, 0 for none.</param>
    /// <param name="dueMs">Due time per index, Unix ms.</param>
    public static ArrivalFigures From(ReadOnlySpan<long> firstArrivals, long[] dueMs, int duplicates)
    {
        var lateness = new List<double>(firstArrivals.Length);
        var times = new List<long>(firstArrivals.Length);
        var early = 0;
        for (var i = 0; i < firstArrivals.Length; i++)
        {
            if (firstArrivals[i] == 0)
            {
                continue;
            }

            var arrivedMs = (firstArrivals[i] - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerMillisecond;
            var late = arrivedMs - dueMs[i];
            if (late < 0)
            {
                early++;
            }

            lateness.Add(late);
            times.Add(firstArrivals[i]);
        }

        times.Sort();
        return new ArrivalFigures(
            firstArrivals.Length,
            times.Count,
            firstArrivals.Length - times.Count,
            duplicates,
            early,
            PeakPerSecond(times),
            Sustained(times),
            Percentiles.Of([.. lateness]));
    }

    /// <summary>The most arrivals within any 1-second span.</summary>
    private static double PeakPerSecond(List<long> sortedTicks)
    {
        var best = 0;
        var start = 0;
        for (var end = 0; end < sortedTicks.Count; end++)
        {
            while (sortedTicks[end] - sortedTicks[start] >= TimeSpan.TicksPerSecond)
            {
                start++;
            }

            best = Math.Max(best, end - start + 1);
        }

        return best;
    }

    /// <summary>Arrivals per second from the first to the last.</summary>
    private static double Sustained(List<long> sortedTicks)
    {
        if (sortedTicks.Count < 2)
        {
            return 0;
        }

        var seconds = (sortedTicks[^1] - sortedTicks[0]) / (double)TimeSpan.TicksPerSecond;
        return seconds > 0 ? (sortedTicks.Count - 1) / seconds : 0;
    }
}
