namespace Eventd.Gateway.Endpoints;

/// <summary>The answer shape of the key and event-log routes: <c>{"status": "error", "message": "key: no event …"}</c>.</summary>
public sealed record StatusMessage(string Status, string Message)
{
    public static StatusMessage Error(string message) => new("error", message);
}
