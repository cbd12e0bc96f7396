using System.Text.Json;
using Eventd.Grains.Interfaces;

namespace Eventd.Gateway.EventLog;

/// <summary><c>/emit</c>: the event's name and its payload (an object, <c>{}</c> when none was sent).</summary>
public sealed record EmitRequest(string EventName, JsonElement Payload);

/// <summary>
/// <c>/query</c>: <see cref="Name"/> is the exact event name kept (the full name when platform or label was
/// given), null for every name; <see cref="TxState"/> needs <see cref="TxKey"/>, and without it a txKey keeps
/// events with a transaction for it in any state.
/// </summary>
public sealed record EventQuery(string? Name, DateTimeOffset? Since, string? TxKey, string? TxState, int Page, int PageSize)
{
    public int TotalPages(long total) => (int)((total + PageSize - 1) / PageSize);
}

public sealed record InitRequest(string Key, string TxKey);

public sealed record TransactRequest(string Key, string TxKey, string State, JsonElement? Output);

public sealed record UpdateRequest(string Key, string? EventName, string TxKey, string TxState);

/// <summary>
/// The rules of the event-log bodies (API.md section 5) in one place: every field is checked before
/// anything is stored, unknown fields are refused, and each refusal names the field first.
/// </summary>
public static class EventLogRequests
{
    /// <summary>The longest event name, txKey, platform or label taken.</summary>
    public const int MaxNameLength = 200;

    public const int DefaultPageSize = 10;
    public const int MaxPageSize = 100;

    private static readonly string[] EmitFields = ["event", "payload"];
    private static readonly string[] QueryFields = ["eventName", "txKey", "since", "platform", "label", "txState", "page", "pageSize"];
    private static readonly string[] InitFields = ["key", "txKey"];
    private static readonly string[] TransactFields = ["key", "txKey", "output", "state"];
    private static readonly string[] UpdateFields = ["key", "eventName", "txKey", "txState"];
    private static readonly string[] FullNameFields = ["eventName", "platform", "label"];

    private static readonly string[] QueryTxStates = [.. EventStates.TransactionStates, EventStates.DoesNotExist];
    private static readonly string[] ClosingStates = [EventStates.Finished, EventStates.Failed];

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static (EmitRequest? Request, string? Error) ParseEmit(JsonElement body)
    {
        var fields = new BodyFields(body, EmitFields);
        var name = fields.RequiredText("event", MaxNameLength);
        var payload = fields.ObjectOf("payload") ?? EmptyObject;
        return fields.Error is null ? (new EmitRequest(name, payload), null) : (null, fields.Error);
    }

    public static (EventQuery? Query, string? Error) ParseQuery(JsonElement body)
    {
        var fields = new BodyFields(body, QueryFields);
        var eventName = fields.Text("eventName", MaxNameLength);
        var txKey = fields.Text("txKey", MaxNameLength);
        var since = fields.Time("since");
        var platform = fields.Text("platform", MaxNameLength);
        var label = fields.Text("label", MaxNameLength);
        var txState = fields.OneOf("txState", QueryTxStates, required: false);
        var page = fields.WholeNumber("page", 1, 1, int.MaxValue, "must be an integer >= 1");
        var pageSize = fields.WholeNumber("pageSize", DefaultPageSize, 1, MaxPageSize, $"must be an integer from 1 to {MaxPageSize}");
        if (txState is not null && txKey is null)
        {
            fields.Refuse("txState", "needs a txKey");
        }

        if (fields.Error is not null)
        {
            return (null, fields.Error);
        }

        var name = platform is null && label is null ? eventName : FullEventName.Of(platform, label, eventName);
        return (new EventQuery(name is { Length: > 0 } ? name : null, since, txKey, txState, page, pageSize), null);
    }

    public static (InitRequest? Request, string? Error) ParseInit(JsonElement body)
    {
        var fields = new BodyFields(body, InitFields);
        var key = fields.RequiredText("key", MaxNameLength);
        var txKey = fields.RequiredText("txKey", MaxNameLength);
        return fields.Error is null ? (new InitRequest(key, txKey), null) : (null, fields.Error);
    }

    public static (TransactRequest? Request, string? Error) ParseTransact(JsonElement body)
    {
        var fields = new BodyFields(body, TransactFields);
        var key = fields.RequiredText("key", MaxNameLength);
        var txKey = fields.RequiredText("txKey", MaxNameLength);
        var output = fields.Value("output");
        var state = fields.OneOf("state", ClosingStates, required: true);
        return fields.Error is null ? (new TransactRequest(key, txKey, state!, output), null) : (null, fields.Error);
    }

    public static (UpdateRequest? Request, string? Error) ParseUpdate(JsonElement body)
    {
        var fields = new BodyFields(body, UpdateFields);
        var key = fields.RequiredText("key", MaxNameLength);
        var eventName = fields.Text("eventName", MaxNameLength);
        var txKey = fields.RequiredText("txKey", MaxNameLength);
        var txState = fields.OneOf("txState", EventStates.TransactionStates, required: true);
        return fields.Error is null ? (new UpdateRequest(key, eventName, txKey, txState!), null) : (null, fields.Error);
    }

    /// <summary><c>/get-full-event-name</c>: the full name, or why not; an event name is required, platform and label are not.</summary>
    public static (string? FullName, string? Error) ParseFullName(JsonElement body)
    {
        var fields = new BodyFields(body, FullNameFields);
        var eventName = fields.RequiredText("eventName", MaxNameLength);
        var platform = fields.Text("platform", MaxNameLength);
        var label = fields.Text("label", MaxNameLength);
        return fields.Error is null ? (FullEventName.Of(platform, label, eventName), null) : (null, fields.Error);
    }
}
