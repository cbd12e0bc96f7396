using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.RegularExpressions;
using Eventd.Gateway.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Eventd.Gateway.Http;

/// <summary>A request body read as one JSON object, or the 4xx that says why it is not one.</summary>
public readonly partial record struct JsonBody(JsonElement Root, int Status, string? Error)
{
    public bool IsValid => Error is null;

    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    public static JsonBody Fail(int status, string error) => new(default, status, error);

    /// <summary>
    /// Reads the body: <c>415</c> unless it is JSON, <c>413</c> over <c>Eventd:Api:MaxBodyBytes</c>,
    /// <c>400</c> when empty, unparseable, with a duplicate key, not an object, or holding text that is not UTF-8.
    /// </summary>
    public static async Task<JsonBody> ReadObjectAsync(HttpRequest request, bool allowEmpty = false)
    {
        if (await ReadBytesAsync(request) is not { } bytes)
        {
            return TooLarge(request);
        }

        if (bytes.Length == 0)
        {
            return allowEmpty
                ? new JsonBody(EmptyObject(), StatusCodes.Status200OK, null)
                : Fail(StatusCodes.Status400BadRequest, "body: a JSON object is required");
        }

        if (!IsJson(request.ContentType))
        {
            return Fail(StatusCodes.Status415UnsupportedMediaType, $"Content-Type: must be application/json, not {request.ContentType ?? "missing"}");
        }

        // RFC 8259 lets a parser ignore a byte order mark; some Windows clients send one.
        var json = bytes.AsMemory();
        if (json.Span.StartsWith(Utf8ByteOrderMark))
        {
            json = json[Utf8ByteOrderMark.Length..];
        }

        try
        {
            using var document = JsonDocument.Parse(json, DocumentOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Fail(StatusCodes.Status400BadRequest, "body: must be a JSON object");
            }

            return JsonText.MayHoldInvalidText(json.Span) && JsonText.FirstInvalid(document.RootElement) is { } textError
                ? Fail(StatusCodes.Status400BadRequest, textError)
                : new JsonBody(document.RootElement.Clone(), StatusCodes.Status200OK, null);
        }
        catch (JsonException ex)
        {
            return Fail(StatusCodes.Status400BadRequest, Describe(ex, json));
        }
    }

    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Value is { } type
        && (type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static string Describe(JsonException ex, ReadOnlyMemory<byte> json)
    {
        // JsonDocument names the repeated property only in its message ("Duplicate property 'url' …"), not where it is.
        var duplicate = DuplicateProperty().Match(ex.Message);
        return duplicate.Success ? $"{DuplicateKeys.FirstIn(json) ?? duplicate.Groups[1].Value}: duplicate key"
            : ex.Message.Contains("maximum configured depth", StringComparison.Ordinal) ? $"body: nested deeper than {DocumentOptions.MaxDepth} levels"
            : $"body: not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})";
    }

    [GeneratedRegex("^Duplicate property '([^']*)'")]
    private static partial Regex DuplicateProperty();

    /// <summary>The raw body, or null when it is larger than <c>Eventd:Api:MaxBodyBytes</c> (answer <see cref="TooLarge"/>).</summary>
    public static async Task<byte[]?> ReadBytesAsync(HttpRequest request)
    {
        var maxBytes = MaxBytes(request);
        return request.ContentLength > maxBytes
            ? null
            : await ReadAtMostAsync(request.BodyReader, maxBytes, request.HttpContext.RequestAborted);
    }

    /// <summary>The <c>413</c> for a body over the limit.</summary>
    public static JsonBody TooLarge(HttpRequest request) =>
        Fail(StatusCodes.Status413PayloadTooLarge, $"body: larger than {MaxBytes(request)} bytes");

    private static int MaxBytes(HttpRequest request) =>
        request.HttpContext.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxBodyBytes;

    private static JsonElement EmptyObject()
    {
        using var document = JsonDocument.Parse("{}");
        return document.RootElement.Clone();
    }

    private static async Task<byte[]?> ReadAtMostAsync(PipeReader reader, int maxBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            if (read.Buffer.Length > maxBytes)
            {
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                return null;
            }

            if (read.IsCompleted)
            {
                var bytes = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return bytes;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }
}
