namespace Eventd.Grains;

/// <summary>
/// Clocks some grains read under a key of their own (the system's in a silo), so a test can move one of
/// them — past the event log's retention, past a silo's silence — without moving the timers and
/// reminders every other grain runs on.
/// </summary>
public static class GrainClocks
{
    public const string EventLog = "eventlog";

    public const string ClusterMetrics = "cluster-metrics";

    /// <summary>The project secrets' clock, so a test ends a rotation's overlap without waiting for it.</summary>
    public const string ProjectSecrets = "project-secrets";

    public static readonly string[] All = [EventLog, ClusterMetrics, ProjectSecrets];
}
