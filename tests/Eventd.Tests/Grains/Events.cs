using Eventd.Grains.Interfaces;

namespace Eventd.Tests.Grains;

/// <summary>Builds event specs for grain tests.</summary>
public static class Events
{
    public static string NewId() => Guid.NewGuid().ToString("N");

    public static EventSpec Webhook(string url, TimeSpan dueIn, int retries = 3, string? data = null) => new()
    {
        Schedule = new ScheduleSpec { DelaySeconds = dueIn.TotalSeconds, FirstDueAt = DateTimeOffset.UtcNow + dueIn },
        Webhook = new WebhookTarget { Url = url, Retries = retries, TimeoutMs = 2000 },
        Data = data,
    };
}
