namespace Eventd.Grains.Interfaces.Telemetry;

/// <summary>
/// Where silos publish their <see cref="MetricsSnapshot"/> for the gateway: one key per silo,
/// expiring unless refreshed, and a set naming those keys.
/// </summary>
public static class MetricsKeys
{
    public static string Silos(string serviceId) => $"{serviceId}/metrics/silos";

    public static string Silo(string serviceId, string siloAddress) => $"{serviceId}/metrics/silo/{siloAddress}";
}
