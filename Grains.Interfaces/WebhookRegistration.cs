using System.Collections.Immutable;

namespace Eventd.Grains.Interfaces;

/// <summary>What <c>POST /webhook</c> registers (API.md section 4); the hook's grain adds its id and creation time.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.NewWebhook")]
public sealed record NewWebhook
{
    [Id(0)] public required string Project { get; init; }
    [Id(1)] public required string UserId { get; init; }
    [Id(2)] public ImmutableSortedDictionary<string, string> Args { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>Where a trigger also delivers; null when a trigger only logs.</summary>
    [Id(3)] public string? Url { get; init; }

    /// <summary>The delivery's method, given with <see cref="Url"/> only.</summary>
    [Id(4)] public string? Method { get; init; }
}

/// <summary>A registered hook: a user, the arguments it was registered with, and where a trigger also delivers.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.WebhookRegistration")]
public sealed record WebhookRegistration
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public string Project { get; init; } = "default";
    [Id(2)] public required string UserId { get; init; }
    [Id(3)] public ImmutableSortedDictionary<string, string> Args { get; init; } = ImmutableSortedDictionary<string, string>.Empty;
    [Id(4)] public string? Url { get; init; }
    [Id(5)] public string? Method { get; init; }
    [Id(6)] public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A registration with what its triggers have counted so far.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.WebhookRecord")]
public sealed record WebhookRecord(
    [property: Id(0)] WebhookRegistration Registration,
    [property: Id(1)] long TriggerCount,
    [property: Id(2)] DateTimeOffset? LastTriggeredAt);

/// <summary>One page of a project's hooks, newest first, and how many its index holds.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.WebhookPage")]
public sealed record WebhookPage(
    [property: Id(0)] IReadOnlyList<WebhookRecord> Items,
    [property: Id(1)] long Total);
