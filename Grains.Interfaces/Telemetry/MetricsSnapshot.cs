using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Eventd.Grains.Interfaces.Telemetry;

/// <summary>
/// One silo's figures since it started, as it reports them to the cluster metrics grain for the
/// gateway to add up into the cluster's. Every figure only grows, except <see cref="RetriesPending"/>:
/// the current count.
/// </summary>
[GenerateSerializer, Immutable, Alias("Eventd.MetricsSnapshot")]
public sealed record MetricsSnapshot(
    [property: Id(0)] long EventsCreated,
    [property: Id(1)] long Fires,
    [property: Id(2)] long AttemptsSucceeded,
    [property: Id(3)] long AttemptsFailed,
    [property: Id(4)] long RetriesPending,
    [property: Id(5)] LatencyBuckets AttemptDuration,
    [property: Id(6)] LatencyBuckets FireLateness)
{
    public static MetricsSnapshot Empty { get; } = new(0, 0, 0, 0, 0, LatencyBuckets.Empty, LatencyBuckets.Empty);

    public static MetricsSnapshot Sum(IEnumerable<MetricsSnapshot> snapshots) => snapshots.Aggregate(Empty, (total, next) => total.Add(next));

    /// <summary>
    /// False for a snapshot with other buckets than these (a silo of another version), or none (a reader
    /// that did not find them): it cannot be added to these.
    /// </summary>
    [JsonIgnore]
    public bool HasStandardBuckets => AttemptDuration is { HasStandardBuckets: true } && FireLateness is { HasStandardBuckets: true };

    public MetricsSnapshot Add(MetricsSnapshot other) => new(
        EventsCreated + other.EventsCreated,
        Fires + other.Fires,
        AttemptsSucceeded + other.AttemptsSucceeded,
        AttemptsFailed + other.AttemptsFailed,
        RetriesPending + other.RetriesPending,
        AttemptDuration.Add(other.AttemptDuration),
        FireLateness.Add(other.FireLateness));
}

/// <summary>
/// A latency distribution in fixed buckets. <see cref="Counts"/>[i] counts the observations above
/// the previous bound and at most <see cref="UpperBoundsMs"/>[i]; the last count is those above
/// every bound (+Inf). Counts are per bucket, not cumulative.
/// </summary>
[GenerateSerializer, Immutable, Alias("Eventd.LatencyBuckets")]
public sealed record LatencyBuckets([property: Id(0)] ImmutableArray<long> Counts, [property: Id(1)] long SumMs)
{
    public static ImmutableArray<double> UpperBoundsMs { get; } = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    public static LatencyBuckets Empty { get; } = new(ImmutableArray.Create(new long[UpperBoundsMs.Length + 1]), 0);

    [JsonIgnore]
    public long Count => Counts.Sum();

    [JsonIgnore]
    public bool HasStandardBuckets => !Counts.IsDefault && Counts.Length == UpperBoundsMs.Length + 1;

    /// <summary>The index of the bucket <paramref name="ms"/> falls in: the first bound it does not exceed.</summary>
    public static int BucketOf(double ms)
    {
        var index = 0;
        while (index < UpperBoundsMs.Length && ms > UpperBoundsMs[index])
        {
            index++;
        }

        return index;
    }

    public LatencyBuckets Add(LatencyBuckets other) => new([.. Counts.Zip(other.Counts, (a, b) => a + b)], SumMs + other.SumMs);
}
