using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Eventd.Gateway.Endpoints;
using Eventd.Gateway.Http;

namespace Eventd.Gateway.Webhooks;

/// <summary>
/// The body of <c>POST /webhook</c>, a JSON object or a form: <c>userid</c>, optional <c>url</c> and
/// <c>method</c>, and any other string arguments. JSON numbers and booleans are taken as their text;
/// an object, an array or null as an argument is refused, naming it.
/// </summary>
public sealed record WebhookRegisterRequest(string UserId, string? Url, string? Method, ImmutableSortedDictionary<string, string> Args)
{
    private const int MaxArgs = 100;

    public static async Task<(WebhookRegisterRequest? Request, int Status, string? Error)> ReadAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            // Read under the API's body limit first (the form reader has its own, larger ones), then parsed from memory.
            if (await JsonBody.ReadBytesAsync(request) is not { } bytes)
            {
                var tooLarge = JsonBody.TooLarge(request);
                return (null, tooLarge.Status, tooLarge.Error);
            }

            request.Body = new MemoryStream(bytes);
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                // A malformed multipart body, a missing boundary, NUL in a value, too many fields.
                return (null, StatusCodes.Status400BadRequest, $"body: not a valid form ({ex.Message.TrimEnd('.')})");
            }

            var fields = new List<KeyValuePair<string, string>>();
            foreach (var (name, values) in form)
            {
                if (values.Count > 1)
                {
                    return (null, StatusCodes.Status400BadRequest, $"{name}: given more than once");
                }

                fields.Add(new(name, values.ToString()));
            }

            return From(fields);
        }

        var body = await JsonBody.ReadObjectAsync(request);
        if (!body.IsValid)
        {
            return (null, body.Status, body.Error);
        }

        var jsonFields = new List<KeyValuePair<string, string>>();
        foreach (var property in body.Root.EnumerateObject())
        {
            var text = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number => property.Value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            };
            if (text is null)
            {
                return (null, StatusCodes.Status400BadRequest, $"{property.Name}: must be a string");
            }

            jsonFields.Add(new(property.Name, text));
        }

        return From(jsonFields);
    }

    public static (WebhookRegisterRequest? Request, int Status, string? Error) From(IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        string? userId = null, url = null, method = null;
        var args = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            switch (name)
            {
                case "userid": userId = value; break;
                case "url": url = value; break;
                case "method": method = value; break;
                default: args[name] = value; break;
            }
        }

        if (string.IsNullOrWhiteSpace(userId))
        {
            return Fail("userid: required");
        }

        if (url is not null && EventdV1Rules.CheckUrl(url) is { } urlError)
        {
            return Fail($"url: {urlError}");
        }

        if (method is not null)
        {
            if (url is null)
            {
                return Fail("method: needs url");
            }

            method = method.ToUpper(CultureInfo.InvariantCulture);
            if (!EventdV1Rules.Methods.Contains(method))
            {
                return Fail($"method: must be one of {string.Join(", ", EventdV1Rules.Methods)}");
            }
        }

        if (args.Count > MaxArgs)
        {
            return Fail($"body: at most {MaxArgs} arguments");
        }

        return (new WebhookRegisterRequest(userId, url, method, args.ToImmutable()), StatusCodes.Status200OK, null);
    }

    private static (WebhookRegisterRequest?, int, string?) Fail(string error) => (null, StatusCodes.Status400BadRequest, error);
}
