using Eventd.Gateway.Auth;
using Eventd.Gateway.Hosting;
using Eventd.Gateway.Http;
using Eventd.Gateway.Webhooks;
using Eventd.Grains.Interfaces;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eventd.Gateway.Endpoints;

/// <summary>
/// The webhook register (API.md section 4). A trigger logs one line naming the hook and its user,
/// and, when the hook has a URL, becomes an Eventd event due at once, so its delivery follows the
/// delivery policy of every other webhook: retries, signature, dead letters.
/// </summary>
public static partial class WebhookRegisterEndpoints
{
    private const string NotFoundError = "webhook ID not found";

    public const string Prefix = "/webhook";

    public static IEndpointRouteBuilder MapWebhookRegister(this IEndpointRouteBuilder app)
    {
        var hooks = app.MapGroup(Prefix).WithTags("Webhook register");
        hooks.MapPost("", Register).WithName("RegisterWebhook").WithSummary("Register a hook for a user").WithIdempotencyByIdentity();
        hooks.MapGet("", List).WithName("ListWebhooks").WithSummary("List registrations, newest first");

        // A trigger creates a delivery (a new event, with a new webhook-id): a POST retried after a lost
        // answer must not deliver twice, so it takes an Idempotency-Key like a create, and its event id is
        // derived from the key, which the hook counts once. GETs pass through (the middleware is POST only).
        hooks.MapMethods("/{id}", ["POST", "GET"], Trigger).WithName("TriggerWebhook").WithSummary("Trigger a hook").WithIdempotencyByIdentity();
        hooks.MapDelete("/{id}", Delete).WithName("DeleteWebhook").WithSummary("Remove a hook");
        return app;
    }

    public sealed record Services(ClusterConnection Cluster, ILoggerFactory Loggers);

    public sealed record RegisteredEnvelope(string Id);

    public sealed record TriggeredEnvelope(string Message, string Id);

    public sealed record WebhookJson(
        string Id,
        [property: JsonPropertyName("userid")] string UserId,
        IReadOnlyDictionary<string, string> Args,
        string? Url,
        string? Method,
        DateTime CreatedAt,
        long TriggerCount,
        DateTime? LastTriggeredAt)
    {
        public static WebhookJson From(WebhookRecord record)
        {
            var hook = record.Registration;
            return new(hook.Id, hook.UserId, hook.Args, hook.Url, hook.Method, hook.CreatedAt.UtcDateTime, record.TriggerCount, record.LastTriggeredAt?.UtcDateTime);
        }
    }

    public sealed record WebhookListEnvelope(IReadOnlyList<WebhookJson> Items, long Total, int Page, int PageSize, int TotalPages);

    private static async Task<Results<Ok<RegisteredEnvelope>, JsonHttpResult<ErrorMessage>>> Register(HttpRequest request, [AsParameters] Services services)
    {
        var (parsed, status, error) = await WebhookRegisterRequest.ReadAsync(request);
        if (parsed is null)
        {
            return Error(status, error!);
        }

        var hook = new NewWebhook
        {
            Project = Caller.Of(request.HttpContext).Project,
            UserId = parsed.UserId,
            Args = parsed.Args,
            Url = parsed.Url,
            Method = parsed.Url is null ? null : parsed.Method ?? "POST",
        };
        // By identity: a re-run for the same key registers onto the id its first attempt took, which keeps the first.
        var id = IdempotentIdentity.IdFor(request.HttpContext);
        var registered = await RejectedCalls.RetryAsync(() => Hook(services, id).Register(hook));
        return TypedResults.Ok(new RegisteredEnvelope(registered.Id));
    }

    private static async Task<Results<Created<TriggeredEnvelope>, JsonHttpResult<ErrorMessage>>> Trigger(string id, HttpRequest request, [AsParameters] Services services)
    {
        var context = request.HttpContext;
        if (await JsonBody.ReadBytesAsync(request) is not { } bytes)
        {
            // An unknown or foreign hook is told so before its body's size.
            var found = await RejectedCalls.RetryAsync(() => Hook(services, id).Get());
            var tooLarge = JsonBody.TooLarge(request);
            return found is null ? NotFound()
                : !Caller.Of(context).Reaches(found.Registration.Project) ? OtherProject()
                : Error(tooLarge.Status, tooLarge.Error!);
        }

        var body = WebhookTrigger.BodyJson(bytes);
        var eventId = IdempotentIdentity.IdFor(context);
        var triggered = await RejectedCalls.RetryAsync(() => Hook(services, id).Trigger(CallerProject(context), eventId, body));
        if (triggered.Outcome != WebhookOutcome.Done)
        {
            return Refusal(triggered.Outcome);
        }

        var logger = Logger(services);
        LogTriggered(logger, id, triggered.UserId!, triggered.EventId is not null);
        return TypedResults.Created((string?)null, new TriggeredEnvelope("web hook triggered", id));
    }

    private static async Task<Results<Ok<TriggeredEnvelope>, JsonHttpResult<ErrorMessage>>> Delete(string id, HttpContext context, [AsParameters] Services services)
    {
        var outcome = await RejectedCalls.RetryAsync(() => Hook(services, id).Delete(CallerProject(context)));
        return outcome == WebhookOutcome.Done
            ? TypedResults.Ok(new TriggeredEnvelope("web hook deleted", id))
            : Refusal(outcome);
    }

    private static async Task<Results<Ok<WebhookListEnvelope>, JsonHttpResult<ErrorMessage>>> List(HttpRequest request, [AsParameters] Services services)
    {
        var (paging, error) = PageQuery.Parse(request.Query);
        if (paging is null)
        {
            return Error(StatusCodes.Status400BadRequest, error!);
        }

        var (project, status, projectError) = ListedProject.Of(request.HttpContext);
        if (project is null)
        {
            return Error(status, projectError!);
        }

        var (items, total) = await RejectedCalls.RetryAsync(() => services.Cluster.Client.GetGrain<IWebhookListGrain>(0).Page(project, paging.Page, paging.PageSize));
        return TypedResults.Ok(new WebhookListEnvelope(items.Select(WebhookJson.From).ToList(), total, paging.Page, paging.PageSize, paging.TotalPages(total)));
    }

    private static IWebhookRegistrationGrain Hook(Services services, string id) => services.Cluster.Client.GetGrain<IWebhookRegistrationGrain>(id);

    /// <summary>The project a hook must belong to for this caller to act on it; null for a caller reaching every project.</summary>
    private static string? CallerProject(HttpContext context) => Caller.Of(context) is { ReachesAll: false } caller ? caller.Project : null;

    private static JsonHttpResult<ErrorMessage> Refusal(WebhookOutcome outcome) => outcome == WebhookOutcome.OtherProject ? OtherProject() : NotFound();

    private static JsonHttpResult<ErrorMessage> NotFound() => Error(StatusCodes.Status404NotFound, NotFoundError);

    private static JsonHttpResult<ErrorMessage> OtherProject() =>
        Error(StatusCodes.Status403Forbidden, "id: the webhook belongs to another project than the key's");

    private static ILogger Logger(Services services) => services.Loggers.CreateLogger(typeof(WebhookRegisterEndpoints).FullName!);

    private static JsonHttpResult<ErrorMessage> Error(int status, string error) =>
        TypedResults.Json(new ErrorMessage(error), statusCode: status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {HookId} triggered for user {UserId} (delivers: {Delivers})")]
    private static partial void LogTriggered(ILogger logger, string hookId, string userId, bool delivers);
}
