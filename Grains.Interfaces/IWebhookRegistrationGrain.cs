namespace Eventd.Grains.Interfaces;

/// <summary>
/// One registered hook of the webhook register (API.md section 4), keyed by its 32-hex id. It is the only
/// writer of its registration, its trigger count and its entry in its project's list index.
/// </summary>
/// <remarks>
/// Calls taking <c>callerProject</c> act only on a hook of that project (null: a caller reaching every
/// project) and answer <see cref="WebhookOutcome.OtherProject"/> otherwise, changing nothing.
/// </remarks>
[Alias("Eventd.IWebhookRegistrationGrain")]
public interface IWebhookRegistrationGrain : IGrainWithStringKey
{
    /// <summary>Stores the hook and lists it under its project. Registering an id twice keeps the first; answers the stored one.</summary>
    [Alias("Register")]
    Task<WebhookRegistration> Register(NewWebhook hook);

    /// <summary>The hook with its counts, or null when no hook has this id.</summary>
    [Alias("Get")]
    Task<WebhookRecord?> Get();

    /// <summary>
    /// Counts a trigger and, when the hook has a URL, creates the Eventd event <paramref name="eventId"/>, due
    /// now, that delivers <c>{"id", "userid", "args", "triggeredAt", "body"}</c>; <paramref name="body"/> is the
    /// trigger request's body as JSON text (a JSON string for a text body), null when it had none.
    /// <paramref name="eventId"/> is the trigger's identity: a trigger repeating the id of one of the hook's
    /// recent triggers (a re-run under the same <c>Idempotency-Key</c>) is answered as done, counting nothing.
    /// </summary>
    [Alias("Trigger")]
    Task<WebhookTriggered> Trigger(string? callerProject, string eventId, string? body);

    /// <summary>Removes the hook and its list entry; later triggers are <see cref="WebhookOutcome.NotFound"/>.</summary>
    [Alias("Delete")]
    Task<WebhookOutcome> Delete(string? callerProject);
}
