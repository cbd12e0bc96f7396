namespace Eventd.Grains.Indexes;

/// <summary>
/// The score of a list index member: its creation time in microseconds since the epoch, not milliseconds,
/// so members created within one millisecond still list newest first (a double holds it exactly for
/// two more centuries).
/// </summary>
public static class CreationScore
{
    public static double Of(DateTimeOffset createdAt) => (createdAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
}
