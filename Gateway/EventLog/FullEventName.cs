namespace Eventd.Gateway.EventLog;

/// <summary>
/// An event's full name (API.md section 5): the non-blank parts of platform, label and event name,
/// lower-cased and joined by '.', so <c>("Web", "", "SignUp")</c> is <c>web.signup</c>.
/// </summary>
public static class FullEventName
{
    public static string Of(string? platform, string? label, string? eventName) =>
        string.Join('.', new[] { platform, label, eventName }.Where(part => !string.IsNullOrWhiteSpace(part))).ToLowerInvariant();
}
