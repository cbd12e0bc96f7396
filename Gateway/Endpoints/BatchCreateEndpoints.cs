using System.Text.Json;
using Eventd.Gateway.Auth;
using Eventd.Gateway.Hosting;
using Eventd.Gateway.Http;
using Eventd.Gateway.Intake;
using Eventd.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Eventd.Gateway.Endpoints;

/// <summary>
/// Batch create (API.md "Batch create"): each item validated and created on its own, through the same
/// create batcher as single creates, so a thousand events cost a handful of cluster calls, not a thousand.
/// </summary>
public static class BatchCreateEndpoints
{
    private static readonly HashSet<string> Known = ["events"];

    public static IEndpointRouteBuilder MapBatchCreate(this IEndpointRouteBuilder app)
    {
        app.MapPost("/eventd/v1/events/batch", Create)
            .WithTags("Eventd v1")
            .WithName("CreateEventBatch")
            .WithSummary("Schedule many events, one result per item")
            .DocumentsBody<RouteHandlerBuilder, CreateEventBatchBody>()
            .WithIdempotencyByIdentity();

        // Without this, other methods would reach GET /eventd/v1/events/{id} and read "no event batch".
        app.MapMethods("/eventd/v1/events/batch", ["GET", "PUT", "PATCH", "DELETE"], () => TypedResults.Json(ErrorEnvelope.Of("method: the batch route takes POST only"), statusCode: StatusCodes.Status405MethodNotAllowed))
            .ExcludeFromDescription();
        return app;
    }

    public sealed record ItemResult(string? Id, bool Ok, string? Error);

    public sealed record BatchEnvelope(bool Ok, IReadOnlyList<ItemResult> Results);

    private static async Task<Results<Ok<BatchEnvelope>, JsonHttpResult<ErrorEnvelope>>> Create(HttpRequest request, CreateBatcher intake, IOptions<ApiOptions> api, TimeProvider time)
    {
        var body = await JsonBody.ReadObjectAsync(request);
        if (!body.IsValid)
        {
            return Error(body.Status, body.Error!);
        }

        if (UnknownFields.In(body.Root, Known) is { } unknown)
        {
            return Error(StatusCodes.Status400BadRequest, unknown);
        }

        var max = api.Value.MaxBatch;
        if (!body.Root.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
        {
            return Error(StatusCodes.Status400BadRequest, "events: required, a list of create bodies");
        }

        var count = events.GetArrayLength();
        if (count < 1 || count > max)
        {
            return Error(StatusCodes.Status400BadRequest, $"events: must hold 1 to {max} events");
        }

        // By identity: a re-run under the batch's key lands on the same item ids, so nothing is created twice.
        var batchId = IdempotentIdentity.IdFor(request.HttpContext);
        var project = Caller.Of(request.HttpContext).Project;
        // The items are created in list order, a tick apart: they may reach the cluster in several calls, in any order.
        var createdAt = time.GetUtcNow();
        var creates = events.EnumerateArray()
            .Select((item, index) => CreateItemAsync(intake, project, IdempotentIdentity.ItemOf(batchId, index), item, index, createdAt.AddTicks(index)))
            .ToList();

        // An item the cluster could not store fails the request as a single create does (503, not remembered
        // under its key), and the batch sent again with its key completes it without creating any item twice.
        return TypedResults.Ok(new BatchEnvelope(true, await Task.WhenAll(creates)));
    }

    private static async Task<ItemResult> CreateItemAsync(CreateBatcher intake, string project, string id, JsonElement item, int index, DateTimeOffset createdAt)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return new ItemResult(null, false, $"events[{index}]: must be an object");
        }

        var (fields, fieldError) = EventdV1Fields.Parse(item);
        var error = fields is null ? fieldError : await intake.CreateFromFieldsAsync(id, project, fields, createdAt);
        return error is null ? new ItemResult(id, true, null) : new ItemResult(null, false, $"events[{index}].{error}");
    }

    private static JsonHttpResult<ErrorEnvelope> Error(int status, string error) =>
        TypedResults.Json(ErrorEnvelope.Of(error), statusCode: status);
}
