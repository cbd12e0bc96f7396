using System.Collections.Frozen;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Eventd.Gateway.Hosting;

/// <summary>
/// Describes each tag of the document by the API.md section it groups, so a reader of a generated reference (or a
/// client) knows which family's rules and error shape an operation follows.
/// </summary>
public static class TagsOpenApi
{
    private static readonly FrozenDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        ["Eventd v1"] = "The native API (API.md section 1): schedule, read, update, pause and cancel events; errors as {\"id\", \"ok\": false, \"error\"}",
        ["Delivery"] = "Dead letters, redelivery and endpoint health (API.md section 2); errors in the Eventd v1 envelope",
        ["Signatures"] = "The keys and secrets webhooks are signed with (API.md \"Signatures, rotation and keys\")",
        ["Space Cloud eventing"] = "Space Cloud triggers and queued events (API.md section 3); errors as {\"error\"}",
        ["Webhook register"] = "Hooks registered for users and triggered by URL (API.md section 4); errors as {\"error\"}",
        ["Event log"] = "Events with consumer transactions (API.md section 5); errors as {\"status\": \"error\", \"message\"}",
        ["Keys"] = "Project keys, managed with the admin key (API.md \"Keys and auth\"); errors as {\"status\": \"error\", \"message\"}",
        [Endpoints.OperationsEndpoints.Tag] = "Health, metrics, dashboards, the console and this document (API.md \"Operations\"); no key needed",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static OpenApiOptions AddTagDescriptions(this OpenApiOptions options) =>
        options.AddDocumentTransformer((document, _, _) =>
        {
            foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
            {
                if (tag.Name is { } name && Descriptions.TryGetValue(name, out var description))
                {
                    tag.Description ??= description;
                }
            }

            return Task.CompletedTask;
        });
}
