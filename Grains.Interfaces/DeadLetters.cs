namespace Eventd.Grains.Interfaces;

/// <summary>
/// One fire whose attempts were exhausted, as listed at <c>GET /eventd/v1/deadletters</c>. Stored
/// as camelCase JSON in Redis by the delivery grain that gave up, read by the gateway.
/// </summary>
public sealed record DeadLetter(string Id, int Seq, string Url, int Attempts, string? LastError, DateTimeOffset FailedAt);

/// <summary>
/// The dead-letter index of a project: a sorted set of delivery keys by failure time (newest
/// first when read in reverse) and a hash of their entries, so listing is a range read, never a scan.
/// </summary>
public static class DeadLetterKeys
{
    public static string ByTime(string serviceId, string project) => $"{serviceId}/deadletters/{project}";

    public static string Entries(string serviceId, string project) => $"{serviceId}/deadletters/{project}/entries";

    /// <summary>The projects whose index a dead letter is written to: its own and <see cref="ProjectNames.Every"/>.</summary>
    public static string[] IndexedUnder(string project) => [project, ProjectNames.Every];
}
