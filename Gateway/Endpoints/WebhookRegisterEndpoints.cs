using Eventd.Gateway.Auth;
using Eventd.Gateway.Hosting;
using Eventd.Gateway.Http;
using Eventd.Gateway.Intake;
using Eventd.Gateway.Webhooks;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Options;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

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
        hooks.MapPost("", Register).WithName("RegisterWebhook").WithSummary("Register a hook for a user").WithIdempotency();
        hooks.MapGet("", List).WithName("ListWebhooks").WithSummary("List registrations, newest first");

        // A trigger creates a delivery (a new event, with a new webhook-id): a POST retried after a lost
        // answer must not deliver twice, so it takes an Idempotency-Key like a create. GETs pass through.
        hooks.MapMethods("/{id}", ["POST", "GET"], Trigger).WithName("TriggerWebhook").WithSummary("Trigger a hook").WithIdempotency();
        hooks.MapDelete("/{id}", Delete).WithName("DeleteWebhook").WithSummary("Remove a hook");
        return app;
    }

    public sealed record Services(
        WebhookRegistry Registry,
        CreateBatcher Intake,
        IOptions<DeliveryOptions> Delivery,
        TimeProvider Time,
        ILogger<WebhookRegistry> Logger);

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

        var hook = new WebhookRegistration
        {
            Id = Guid.NewGuid().ToString("N"),
            UserId = parsed.UserId,
            Args = parsed.Args,
            Url = parsed.Url,
            Method = parsed.Url is null ? null : parsed.Method ?? "POST",
            CreatedAt = services.Time.GetUtcNow(),
        };
        await services.Registry.AddAsync(Caller.Of(request.HttpContext).Project, hook);
        return TypedResults.Ok(new RegisteredEnvelope(hook.Id));
    }

    private static async Task<Results<Created<TriggeredEnvelope>, JsonHttpResult<ErrorMessage>>> Trigger(string id, HttpRequest request, [AsParameters] Services services)
    {
        var (found, refusal) = await FindAsync(id, request.HttpContext, services.Registry);
        if (found is not ({ } project, { } record))
        {
            return refusal!;
        }

        var hook = record.Registration;

        if (await JsonBody.ReadBytesAsync(request) is not { } bytes)
        {
            var tooLarge = JsonBody.TooLarge(request);
            return Error(tooLarge.Status, tooLarge.Error!);
        }

        var now = services.Time.GetUtcNow();
        if (hook.Url is { } url)
        {
            var delivery = services.Delivery.Value;
            var spec = new EventSpec
            {
                Project = project,
                Schedule = new ScheduleSpec { FirstDueAt = now },
                Webhook = new WebhookTarget { Url = url, Method = hook.Method ?? "POST", Retries = delivery.DefaultRetries, TimeoutMs = delivery.DefaultTimeoutMs },
                Data = WebhookTrigger.Payload(hook, now, WebhookTrigger.Body(bytes)),
                Type = "webhook",
            };
            await services.Intake.CreateAsync(Guid.NewGuid().ToString("N"), spec);
        }

        if (!await services.Registry.RecordTriggerAsync(project, id, now))
        {
            return Error(StatusCodes.Status404NotFound, NotFoundError);
        }

        LogTriggered(services.Logger, id, hook.UserId, hook.Url is not null);
        return TypedResults.Created((string?)null, new TriggeredEnvelope("web hook triggered", id));
    }

    private static async Task<Results<Ok<TriggeredEnvelope>, JsonHttpResult<ErrorMessage>>> Delete(string id, HttpContext context, [AsParameters] Services services)
    {
        var (found, refusal) = await FindAsync(id, context, services.Registry);
        return found is ({ } project, _) && await services.Registry.DeleteAsync(project, id)
            ? TypedResults.Ok(new TriggeredEnvelope("web hook deleted", id))
            : refusal ?? Error(StatusCodes.Status404NotFound, NotFoundError);
    }

    /// <summary>The hook and its project, or the refusal: 404 when there is none, 403 when a project key asks for another project's.</summary>
    private static async Task<((string Project, WebhookRecord Record)? Found, JsonHttpResult<ErrorMessage>? Refusal)> FindAsync(
        string id, HttpContext context, WebhookRegistry registry)
    {
        if (await registry.FindAsync(id) is not { } found)
        {
            return (null, Error(StatusCodes.Status404NotFound, NotFoundError));
        }

        return Caller.Of(context).Reaches(found.Project)
            ? (found, null)
            : (null, Error(StatusCodes.Status403Forbidden, "id: the webhook belongs to another project than the key's"));
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

        var (items, total) = await services.Registry.PageAsync(project, paging.Page, paging.PageSize);
        return TypedResults.Ok(new WebhookListEnvelope(items.Select(WebhookJson.From).ToList(), total, paging.Page, paging.PageSize, paging.TotalPages(total)));
    }

    private static JsonHttpResult<ErrorMessage> Error(int status, string error) =>
        TypedResults.Json(new ErrorMessage(error), statusCode: status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {HookId} triggered for user {UserId} (delivers: {Delivers})")]
    private static partial void LogTriggered(ILogger logger, string hookId, string userId, bool delivers);
}
