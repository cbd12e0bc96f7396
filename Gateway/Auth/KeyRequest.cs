using System.Text.Json;
using System.Text.RegularExpressions;
using Eventd.Gateway.Http;
using Eventd.Gateway.SpaceCloud;

namespace Eventd.Gateway.Auth;

/// <summary>The body of <c>POST /v1/keys</c>: <c>{"name", "project", "environment"}</c>, checked field by field.</summary>
public sealed partial record KeyRequest(string Name, string Project, string Environment)
{
    private static readonly string[] Fields = ["name", "project", "environment"];

    // \z, not $: in .NET, $ also matches before a final newline.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\\z")]
    private static partial Regex NamePattern();

    public static (KeyRequest? Request, string? Error) Parse(JsonElement body)
    {
        if (UnknownFields.In(body, Fields) is { } unknown)
        {
            return (null, unknown);
        }

        if (Text(body, "name") is not { } name)
        {
            return (null, "name: required, a string");
        }

        if (!NamePattern().IsMatch(name))
        {
            return (null, "name: must be 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }

        if (Text(body, "project") is not { } project)
        {
            return (null, "project: required, a string");
        }

        if (SpaceCloudRequests.CheckName(project) is { } projectError)
        {
            return (null, $"project: {projectError}");
        }

        var environment = Caller.DefaultEnvironment;
        if (body.TryGetProperty("environment", out var given) && given.ValueKind != JsonValueKind.Null)
        {
            if (given.ValueKind != JsonValueKind.String)
            {
                return (null, "environment: must be a string");
            }

            environment = given.GetString()!;
            if (SpaceCloudRequests.CheckName(environment) is { } environmentError)
            {
                return (null, $"environment: {environmentError}");
            }
        }

        return (new KeyRequest(name, project, environment), null);
    }

    private static string? Text(JsonElement body, string field) =>
        body.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
