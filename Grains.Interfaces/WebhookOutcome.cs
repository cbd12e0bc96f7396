namespace Eventd.Grains.Interfaces;

/// <summary>How a hook answered a call that names the caller's project.</summary>
[GenerateSerializer, Alias("Eventd.WebhookOutcome")]
public enum WebhookOutcome
{
    NotFound = 0,
    Done = 1,

    /// <summary>The hook exists but belongs to another project than the caller's: told apart so the caller hears 403, not 404.</summary>
    OtherProject = 2,
}

/// <summary>What a trigger did: the hook's user (for the caller's log line) and the event that delivers it, when the hook has a URL.</summary>
[GenerateSerializer, Immutable, Alias("Eventd.WebhookTriggered")]
public sealed record WebhookTriggered(
    [property: Id(0)] WebhookOutcome Outcome,
    [property: Id(1)] string? UserId = null,
    [property: Id(2)] string? EventId = null);
