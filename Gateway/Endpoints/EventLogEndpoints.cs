using System.Collections.Frozen;
using System.Text.Json;
using Eventd.Gateway.Auth;
using Eventd.Gateway.EventLog;
using Eventd.Gateway.Hosting;
using Eventd.Gateway.Http;
using Eventd.Gateway.SpaceCloud;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eventd.Gateway.Endpoints;

/// <summary>
/// The event log with transactions (API.md section 5). Every event belongs to the caller's project and
/// environment; an emitted event is also queued as a Space Cloud event of its name in that project, so
/// triggers of that type fire. Each route reads the whole body before it writes anything.
/// </summary>
public static class EventLogEndpoints
{
    /// <summary>The event log's routes, all POST.</summary>
    public static readonly FrozenSet<string> Paths = FrozenSet.Create(StringComparer.Ordinal, "/emit", "/query", "/init", "/transact", "/update", "/get-full-event-name");

    public static IEndpointRouteBuilder MapEventLog(this IEndpointRouteBuilder app)
    {
        var log = app.MapGroup("").WithTags("Event log").WithMetadata(EventLogRoute.Instance);
        log.MapPost("/emit", Emit).WithName("EmitEvent").WithSummary("Record an event and queue it for the project's triggers of its type").WithIdempotencyByIdentity();
        log.MapPost("/query", Query).WithName("QueryEvents").WithSummary("Events by name, time and transaction state, newest first");
        log.MapPost("/init", Init).WithName("InitTransaction").WithSummary("Open a consumer's transaction on an event");
        log.MapPost("/transact", Transact).WithName("CloseTransaction").WithSummary("Close a transaction as finished or failed, with its output");
        log.MapPost("/update", Update).WithName("UpdateTransaction").WithSummary("Set a transaction's state and answer the event's row");
        log.MapPost("/get-full-event-name", FullName).WithName("GetFullEventName").WithSummary("Platform, label and event name as one lower-case name");
        return app;
    }

    public sealed record Services(ClusterConnection Cluster, EventQueuing Queue, TimeProvider Time)
    {
        public IGrainFactory Grains => Cluster.Client;
    }

    private static async Task<Results<Ok<EmittedEnvelope>, JsonHttpResult<StatusMessage>>> Emit(HttpRequest request, [AsParameters] Services services)
    {
        var (emit, refusal) = await ReadAsync(request, EventLogRequests.ParseEmit);
        if (emit is null)
        {
            return refusal!;
        }

        var scope = EventLogScope.Of(request.HttpContext);
        var now = services.Time.GetUtcNow();

        // By identity: the event's key (also its queued Space Cloud event's id) comes from the Idempotency-Key, so a
        // re-run queues onto the same deliveries and records nothing new. Queued before it is recorded: when the
        // cluster cannot take it the answer is 503 and nothing was logged, so a retry does not log the event twice.
        var key = IdempotentIdentity.IdFor(request.HttpContext);
        await services.Queue.QueueAsync(scope.Project, key, new QueueRequest(emit.EventName, 0, null, now, emit.Payload.GetRawText(), IsSynchronous: false), now);
        var row = await EventLogCalls.EmitAsync(services.Grains, scope, key, emit, EmittedRequest.QueryOf(request), EmittedRequest.HeadersOf(request));
        return TypedResults.Ok(EmittedEnvelope.Of(row.Key));
    }

    private static async Task<Results<Ok<RowsEnvelope>, JsonHttpResult<StatusMessage>>> Query(HttpRequest request, [AsParameters] Services services)
    {
        var (query, refusal) = await ReadAsync(request, EventLogRequests.ParseQuery, allowEmpty: true);
        if (query is null)
        {
            return refusal!;
        }

        var (scope, status, scopeError) = EventLogScope.ForQuery(request.HttpContext);
        if (scope is null)
        {
            return Error(status, scopeError!);
        }

        var (rows, total) = await EventLogCalls.QueryAsync(services.Grains, scope, query);
        return TypedResults.Ok(new RowsEnvelope(rows, total, query.Page, query.PageSize, query.TotalPages(total)));
    }

    private static async Task<Results<Ok<TransactionRow>, JsonHttpResult<StatusMessage>>> Init(HttpRequest request, [AsParameters] Services services)
    {
        var (init, refusal) = await ReadAsync(request, EventLogRequests.ParseInit);
        return init is null ? refusal! : await OnEventAsync(request, init.Key, services.Grains, scope => EventLogCalls.InitAsync(services.Grains, scope, init));
    }

    private static async Task<Results<Ok<TransactionRow>, JsonHttpResult<StatusMessage>>> Transact(HttpRequest request, [AsParameters] Services services)
    {
        var (transact, refusal) = await ReadAsync(request, EventLogRequests.ParseTransact);
        return transact is null ? refusal! : await OnEventAsync(request, transact.Key, services.Grains, scope => EventLogCalls.TransactAsync(services.Grains, scope, transact));
    }

    private static async Task<Results<Ok<EventRow>, JsonHttpResult<StatusMessage>>> Update(HttpRequest request, [AsParameters] Services services)
    {
        var (update, refusal) = await ReadAsync(request, EventLogRequests.ParseUpdate);
        return update is null ? refusal! : await OnEventAsync(request, update.Key, services.Grains, scope => EventLogCalls.UpdateAsync(services.Grains, scope, update));
    }

    /// <summary>Runs <paramref name="change"/> in the event log holding the event <paramref name="key"/>, when the caller reaches it.</summary>
    private static async Task<Results<Ok<T>, JsonHttpResult<StatusMessage>>> OnEventAsync<T>(
        HttpRequest request, string key, IGrainFactory grains, Func<EventLogScope, Task<EventLogResult<T>>> change)
        where T : class
    {
        var (scope, status, error) = await EventLogScope.OfEventAsync(request.HttpContext, key, grains);
        return scope is null ? Error(status, error!) : Answer(await change(scope));
    }

    private static async Task<Results<Ok<FullNameEnvelope>, JsonHttpResult<StatusMessage>>> FullName(HttpRequest request)
    {
        var (fullName, refusal) = await ReadAsync(request, EventLogRequests.ParseFullName);
        return fullName is null ? refusal! : TypedResults.Ok(new FullNameEnvelope(fullName));
    }

    /// <summary>The body parsed by <paramref name="parse"/>, or the refusal to answer: JsonBody's 400/413/415 or the parser's 400.</summary>
    private static async Task<(T? Request, JsonHttpResult<StatusMessage>? Refusal)> ReadAsync<T>(
        HttpRequest request, Func<JsonElement, (T? Request, string? Error)> parse, bool allowEmpty = false)
        where T : class
    {
        var body = await JsonBody.ReadObjectAsync(request, allowEmpty);
        if (!body.IsValid)
        {
            return (null, Error(body.Status, body.Error!));
        }

        var (parsed, error) = parse(body.Root);
        return parsed is null ? (null, Error(StatusCodes.Status400BadRequest, error!)) : (parsed, null);
    }

    private static Results<Ok<T>, JsonHttpResult<StatusMessage>> Answer<T>(EventLogResult<T> result)
        where T : class =>
        result.Value is { } value ? TypedResults.Ok(value) : Error(result.Status, result.Error!);

    private static JsonHttpResult<StatusMessage> Error(int status, string message) =>
        TypedResults.Json(StatusMessage.Error(message), statusCode: status);
}
