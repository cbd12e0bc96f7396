using System.Collections.Immutable;

namespace Eventd.Grains.Interfaces;

/// <summary>A webhook an event is delivered to, with its delivery policy.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.WebhookTarget")]
public sealed record WebhookTarget
{
    [Id(0)] public required string Url { get; init; }
    [Id(1)] public string Method { get; init; } = "POST";
    [Id(2)] public ImmutableDictionary<string, string> Headers { get; init; } = ImmutableDictionary<string, string>.Empty;
    [Id(3)] public int Retries { get; init; } = 3;
    [Id(4)] public int TimeoutMs { get; init; } = 5000;

    /// <summary>The flow-control key whose limits this webhook's attempts share; null for none.</summary>
    [Id(5)] public FlowControl? FlowControl { get; init; }
}
