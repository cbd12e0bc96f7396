using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Eventd.Grains.Interfaces.Telemetry;

/// <summary>
/// One silo's figures since it started, as it publishes them to Redis for the gateway to add up
/// into the cluster's. Every figure only grows, except <see cref="RetriesPending"/>: the current count.
/// </summary>
public sealed record MetricsSnapshot(
    long EventsCreated,
    long Fires,
    long AttemptsSucceeded,
    long AttemptsFailed,
    long RetriesPending,
    LatencyBuckets AttemptDuration,
    LatencyBuckets FireLateness)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static MetricsSnapshot Empty { get; } = new(0, 0, 0, 0, 0, LatencyBuckets.Empty, LatencyBuckets.Empty);

    public static MetricsSnapshot Sum(IEnumerable<MetricsSnapshot> snapshots) => snapshots.Aggregate(Empty, (total, next) => total.Add(next));

    public MetricsSnapshot Add(MetricsSnapshot other) => new(
        EventsCreated + other.EventsCreated,
        Fires + other.Fires,
        AttemptsSucceeded + other.AttemptsSucceeded,
        AttemptsFailed + other.AttemptsFailed,
        RetriesPending + other.RetriesPending,
        AttemptDuration.Add(other.AttemptDuration),
        FireLateness.Add(other.FireLateness));

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The snapshot in <paramref name="json"/>, or null when it is not one with these buckets (a silo of another version).</summary>
    public static MetricsSnapshot? FromJson(string json)
    {
        try
        {
            var snapshot = JsonSerializer.Deserialize<MetricsSnapshot>(json, Json);
            return snapshot is { AttemptDuration.HasStandardBuckets: true, FireLateness.HasStandardBuckets: true } ? snapshot : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// A latency distribution in fixed buckets. <see cref="Counts"/>[i] counts the observations above
/// the previous bound and at most <see cref="UpperBoundsMs"/>[i]; the last count is those above
/// every bound (+Inf). Counts are per bucket, not cumulative.
/// </summary>
public sealed record LatencyBuckets(ImmutableArray<long> Counts, long SumMs)
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
