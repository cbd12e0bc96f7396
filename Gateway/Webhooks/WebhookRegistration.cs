using System.Collections.Immutable;

namespace Eventd.Gateway.Webhooks;

/// <summary>A registered hook (API.md section 4): a user, the arguments it was registered with, and where a trigger also delivers.</summary>
public sealed record WebhookRegistration
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public ImmutableSortedDictionary<string, string> Args { get; init; } = ImmutableSortedDictionary<string, string>.Empty;
    public string? Url { get; init; }
    public string? Method { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A registration with what its triggers have counted so far.</summary>
public sealed record WebhookRecord(WebhookRegistration Registration, long TriggerCount, DateTimeOffset? LastTriggeredAt);
