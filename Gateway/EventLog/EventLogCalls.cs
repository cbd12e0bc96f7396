using System.Text.Json;
using Eventd.Grains.Interfaces;

namespace Eventd.Gateway.EventLog;

/// <summary>
/// The event log's calls into the cluster, in a scope already checked: each change is one call to the event's
/// grain, whose refusals become this API's statuses and messages.
/// </summary>
public static class EventLogCalls
{
    public static async Task<EventRow> EmitAsync(IGrainFactory grains, EventLogScope scope, string key, EmitRequest request, IReadOnlyDictionary<string, string> query, IReadOnlyDictionary<string, string> headers) =>
        EventRow.Of(await Event(grains, scope, key).Emit(new EventEmission(request.EventName, Compact(request.Payload), query, headers, scope.By)));

    /// <summary>The project and environment the event <paramref name="key"/> was emitted in; null when no such event is known.</summary>
    public static async Task<EventOwner?> OwnerAsync(IGrainFactory grains, string key) =>
        EventLogIds.IsKey(key) ? await grains.GetGrain<IEventOwnerGrain>(key).Get() : null;

    public static async Task<(IReadOnlyList<EventRow> Rows, long Total)> QueryAsync(IGrainFactory grains, EventLogScope scope, EventQuery query)
    {
        var page = await grains.GetGrain<IEventLogQueryGrain>(0).Query(new EventLogQuery(
            scope.Project, scope.Environment, query.Name, query.Since?.ToUnixTimeMilliseconds(), query.TxKey, query.TxState, query.Page, query.PageSize));
        return ([.. page.Rows.Select(EventRow.Of)], page.Total);
    }

    public static async Task<EventLogResult<TransactionRow>> InitAsync(IGrainFactory grains, EventLogScope scope, InitRequest request) =>
        EventLogIds.IsKey(request.Key)
            ? Answer(await Event(grains, scope, request.Key).Init(request.TxKey, scope.By), request.Key, request.TxKey)
            : NoEvent<TransactionRow>(request.Key);

    public static async Task<EventLogResult<TransactionRow>> TransactAsync(IGrainFactory grains, EventLogScope scope, TransactRequest request) =>
        EventLogIds.IsKey(request.Key)
            ? Answer(await Event(grains, scope, request.Key).Transact(request.TxKey, request.State, request.Output is { } output ? Compact(output) : null, scope.By), request.Key, request.TxKey)
            : NoEvent<TransactionRow>(request.Key);

    public static async Task<EventLogResult<EventRow>> UpdateAsync(IGrainFactory grains, EventLogScope scope, UpdateRequest request)
    {
        if (!EventLogIds.IsKey(request.Key))
        {
            return NoEvent<EventRow>(request.Key);
        }

        var answer = await Event(grains, scope, request.Key).Update(request.EventName, request.TxKey, request.TxState, scope.By);
        return answer switch
        {
            { Refusal: EventLogRefusal.None, Row: { } row } => EventLogResult.Ok(EventRow.Of(row)),
            { Refusal: EventLogRefusal.OtherName, Row: { } row } => EventLogResult.Fail<EventRow>(
                StatusCodes.Status400BadRequest, $"eventName: event {request.Key} is named '{row.Event.EventName}', not '{request.EventName}'"),
            _ => NoEvent<EventRow>(request.Key),
        };
    }

    /// <summary>JSON as stored: without the whitespace it was sent with, every number's digits kept.</summary>
    private static string Compact(JsonElement json) => JsonSerializer.Serialize(json);

    private static ILoggedEventGrain Event(IGrainFactory grains, EventLogScope scope, string key) =>
        grains.GetGrain<ILoggedEventGrain>(LoggedEventKey.Of(scope.Project, scope.Environment, key));

    private static EventLogResult<TransactionRow> Answer(TransactionAnswer answer, string key, string txKey) => answer switch
    {
        { Refusal: EventLogRefusal.None, Transaction: { } transaction } => EventLogResult.Ok(TransactionRow.Of(transaction)),
        { Refusal: EventLogRefusal.NoTransaction } => EventLogResult.Fail<TransactionRow>(StatusCodes.Status404NotFound, $"txKey: no transaction {txKey} on event {key}"),
        _ => NoEvent<TransactionRow>(key),
    };

    private static EventLogResult<T> NoEvent<T>(string key)
        where T : class => EventLogResult.Fail<T>(StatusCodes.Status404NotFound, $"key: no event {key}");
}
