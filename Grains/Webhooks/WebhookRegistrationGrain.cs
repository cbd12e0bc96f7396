using System.Text.Json.Serialization;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Options;
using Microsoft.Extensions.Options;

namespace Eventd.Grains.Webhooks;

/// <summary>The persisted state of one hook (JSON in Redis): its registration and what its triggers counted.</summary>
public sealed record WebhookRegistrationState
{
    /// <summary>The grain state's name in storage (part of its Redis key).</summary>
    public const string Name = "webhook";

    /// <summary>Null while nothing is registered under this id, and again once it is deleted.</summary>
    public WebhookRegistration? Hook { get; init; }

    public long TriggerCount { get; init; }
    public DateTimeOffset? LastTriggeredAt { get; init; }

    /// <summary>The ids of the latest counted triggers, oldest first (<see cref="RecentTriggers"/>).</summary>
    public IReadOnlyList<string> RecentTriggerIds { get; init; } = [];

    [JsonIgnore]
    public WebhookRecord? Record => Hook is null ? null : new(Hook, TriggerCount, LastTriggeredAt);
}

/// <summary>
/// One hook of the webhook register, keyed by its id. A turn at a time, so triggers racing each other are
/// each counted without a compare-and-set, and a trigger racing a delete either runs before it or finds
/// the hook gone. It writes its project's list index in the same step as its state (<see cref="WebhookIndex"/>).
/// </summary>
public sealed class WebhookRegistrationGrain(
    [PersistentState(WebhookRegistrationState.Name, StorageNames.Default)] IPersistentState<WebhookRegistrationState> state,
    WebhookIndex index,
    IOptions<DeliveryOptions> delivery,
    TimeProvider time) : Grain, IWebhookRegistrationGrain
{
    private WebhookRegistrationState S => state.State;

    private string Id => this.GetPrimaryKeyString();

    public async Task<WebhookRegistration> Register(NewWebhook hook)
    {
        if (S.Hook is { } registered)
        {
            return registered;
        }

        var registration = new WebhookRegistration
        {
            Id = Id,
            Project = hook.Project,
            UserId = hook.UserId,
            Args = hook.Args,
            Url = hook.Url,
            Method = hook.Method,
            CreatedAt = time.GetUtcNow(),
        };

        // Index entry first, then the state: a crash in between leaves an id the list skips, never a listed id without a hook.
        await index.AddAsync(registration.Project, Id, registration.CreatedAt);
        await SaveAsync(new WebhookRegistrationState { Hook = registration });
        return registration;
    }

    public Task<WebhookRecord?> Get()
    {
        DeactivateIfAbsent();
        return Task.FromResult(S.Record);
    }

    public async Task<WebhookTriggered> Trigger(string? callerProject, string eventId, string? body)
    {
        if (Refusal(callerProject) is { } refusal)
        {
            return new WebhookTriggered(refusal);
        }

        var hook = S.Hook!;
        var delivers = hook.Url is not null;
        if (RecentTriggers.Holds(S.RecentTriggerIds, eventId))
        {
            // A re-run of a trigger already counted (its first answer was lost): its event exists, nothing more to do.
            return new WebhookTriggered(WebhookOutcome.Done, hook.UserId, delivers ? eventId : null);
        }

        var now = time.GetUtcNow();
        if (hook.Url is { } url)
        {
            // Creating an id twice keeps the first: a re-run whose first attempt died before counting delivers once.
            await GrainFactory.GetGrain<IEventIntakeGrain>(0).Create(eventId, Delivery(hook, url, now, body));
        }

        // Counted once its event exists, with its id in the same write: a count that fails leaves a delivered trigger
        // answered with an error (a re-run then counts it), never a count with no delivery nor a trigger counted twice.
        await SaveAsync(S with
        {
            TriggerCount = S.TriggerCount + 1,
            LastTriggeredAt = now,
            RecentTriggerIds = RecentTriggers.With(S.RecentTriggerIds, eventId),
        });
        return new WebhookTriggered(WebhookOutcome.Done, hook.UserId, delivers ? eventId : null);
    }

    public async Task<WebhookOutcome> Delete(string? callerProject)
    {
        if (Refusal(callerProject) is { } refusal)
        {
            return refusal;
        }

        var project = S.Hook!.Project;

        // Whether or not the clear gets through, the next call reads what storage holds.
        DeactivateOnIdle();

        // State first, then the index entry: a crash in between leaves an id the list skips, never a listed id without a hook.
        await state.ClearStateAsync();
        await index.RemoveAsync(project, Id);
        return WebhookOutcome.Done;
    }

    /// <summary>Why a call naming <paramref name="callerProject"/> may not act on this hook; null when it may.</summary>
    private WebhookOutcome? Refusal(string? callerProject)
    {
        DeactivateIfAbsent();
        return S.Hook is not { } hook ? WebhookOutcome.NotFound
            : callerProject is not null && !string.Equals(callerProject, hook.Project, StringComparison.Ordinal) ? WebhookOutcome.OtherProject
            : null;
    }

    /// <summary>Any id a client sends names a grain: one with no hook should not keep an activation alive.</summary>
    private void DeactivateIfAbsent()
    {
        if (S.Hook is null)
        {
            DeactivateOnIdle();
        }
    }

    /// <summary>
    /// Writes <paramref name="next"/> as the state. A write that failed may still have reached Redis, so the
    /// activation is dropped and the next call reads what storage holds instead of trusting memory.
    /// </summary>
    private async Task SaveAsync(WebhookRegistrationState next)
    {
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            DeactivateOnIdle();
            throw;
        }
    }

    private EventSpec Delivery(WebhookRegistration hook, string url, DateTimeOffset now, string? body) => new()
    {
        Project = hook.Project,
        Schedule = new ScheduleSpec { FirstDueAt = now },
        Webhook = new WebhookTarget
        {
            Url = url,
            Method = hook.Method ?? "POST",
            Retries = delivery.Value.DefaultRetries,
            TimeoutMs = delivery.Value.DefaultTimeoutMs,
        },
        Data = TriggerPayload.Of(hook, now, body),
        Type = "webhook",
        TraceParent = TraceParents.OfCurrentActivity(),
    };
}
