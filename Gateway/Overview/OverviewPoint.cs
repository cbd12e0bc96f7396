namespace Eventd.Gateway.Overview;

/// <summary>
/// One point of the overview's charts: webhook attempts per second that succeeded and that failed, and
/// the fires' lateness (null when nothing fired), all over the <see cref="OverviewHistory.Window"/> before <see cref="At"/>
/// (UTC, written with a <c>Z</c> as every other time of the API).
/// </summary>
public sealed record OverviewPoint(
    DateTime At,
    double DeliveredPerSecond,
    double FailedPerSecond,
    double? LatenessP50Ms,
    double? LatenessP99Ms);
