using Eventd.Grains.Interfaces;

namespace Eventd.Gateway.Endpoints;

/// <summary>A key's limits on the wire: <c>{"key", "rate", "period", "parallelism"}</c>, an absent limit null.</summary>
public sealed record FlowControlJson(string Key, int? Rate, int Period, int? Parallelism)
{
    public static FlowControlJson From(FlowControl limits) => new(limits.Key, limits.Rate, limits.Period, limits.Parallelism);
}
