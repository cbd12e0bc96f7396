namespace Eventd.Grains.Interfaces;

/// <summary>
/// One event of a batch handed to <see cref="IEventIntakeGrain.CreateMany"/>: either its ready
/// <see cref="Spec"/> (Space Cloud queues, webhook triggers, emits), or, when that is null, the Eventd v1
/// <see cref="Fields"/> the intake builds the spec of <see cref="Project"/> from under the create rules.
/// </summary>
[GenerateSerializer, Immutable, Alias("Eventd.NewEvent")]
public sealed record NewEvent([property: Id(0)] string Id, [property: Id(1)] EventSpec? Spec)
{
    [Id(2)] public EventFields? Fields { get; init; }

    /// <summary>The project the <see cref="Fields"/>' event belongs to; a ready <see cref="Spec"/> names its own.</summary>
    [Id(3)] public string Project { get; init; } = "default";

    /// <summary>The <see cref="EventSpec.TraceParent"/> of the event the <see cref="Fields"/> make; a ready <see cref="Spec"/> carries its own.</summary>
    [Id(4)] public string? TraceParent { get; init; }

    /// <summary>
    /// When the caller created it, for events it orders itself (a batch's items, a tick apart in list order):
    /// fires due at the same moment go by creation. Null: when the intake stores it.
    /// </summary>
    [Id(5)] public DateTimeOffset? CreatedAt { get; init; }
}

[GenerateSerializer, Alias("Eventd.CreateOutcome")]
public enum CreateOutcome
{
    /// <summary>Not stored: the write failed (logged by the intake); the caller may send it again.</summary>
    Failed = 0,
    Stored = 1,

    /// <summary>The fields break a rule; <see cref="CreateResult.Error"/> names the field first. Nothing was stored.</summary>
    Invalid = 2,
}

/// <summary>What became of one event of a batch.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.CreateResult")]
public readonly record struct CreateResult(
    [property: Id(0)] CreateOutcome Outcome,
    [property: Id(1)] string? Error = null);
