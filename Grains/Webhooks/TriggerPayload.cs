using System.Text.Json.Nodes;
using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Webhooks;

/// <summary>What a trigger delivers to a hook's URL: <c>{"id", "userid", "args", "triggeredAt", "body"}</c>.</summary>
public static class TriggerPayload
{
    /// <param name="body">The trigger request's body as JSON text, already checked by the gateway; null when it had none.</param>
    public static string Of(WebhookRegistration hook, DateTimeOffset triggeredAt, string? body)
    {
        var args = new JsonObject();
        foreach (var (name, value) in hook.Args)
        {
            args[name] = value;
        }

        return new JsonObject
        {
            ["id"] = hook.Id,
            ["userid"] = hook.UserId,
            ["args"] = args,
            ["triggeredAt"] = triggeredAt.UtcDateTime,
            ["body"] = body is null ? null : JsonNode.Parse(body),
        }.ToJsonString();
    }
}
