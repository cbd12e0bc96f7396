namespace Eventd.Grains.Interfaces;

/// <summary>What a claim of an <c>Idempotency-Key</c> came to.</summary>
[GenerateSerializer, Alias("Eventd.IdempotencyOutcome")]
public enum IdempotencyOutcome
{
    /// <summary>The key is this request's: run it.</summary>
    Claimed = 0,

    /// <summary>The key was used for a different request.</summary>
    Reused = 1,

    /// <summary>The request ran before: answer its response again.</summary>
    Replay = 2,

    /// <summary>The same request holds the key and has not answered yet.</summary>
    InProgress = 3,
}

[GenerateSerializer, Immutable, Alias("Eventd.IdempotencyClaim")]
public sealed record IdempotencyClaim([property: Id(0)] IdempotencyOutcome Outcome, [property: Id(1)] IdempotentResponse? Response = null);

/// <summary>The first response to a key, as it is answered again.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.IdempotentResponse")]
public sealed record IdempotentResponse(
    [property: Id(0)] int Status,
    [property: Id(1)] string? ContentType,
    [property: Id(2)] string? Location,
    [property: Id(3)] byte[] Body);
