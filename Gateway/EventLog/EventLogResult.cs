namespace Eventd.Gateway.EventLog;

/// <summary>What a store operation answers: its value, or the status and message (<c>"{field}: {problem}"</c>) of a refusal.</summary>
public readonly record struct EventLogResult<T>(T? Value, int Status, string? Error)
    where T : class
{
    public EventLogResult<TOther> Map<TOther>(Func<T, TOther> map)
        where TOther : class =>
        Value is { } value ? EventLogResult.Ok(map(value)) : EventLogResult.Fail<TOther>(Status, Error!);
}

public static class EventLogResult
{
    public static EventLogResult<T> Ok<T>(T value)
        where T : class => new(value, StatusCodes.Status200OK, null);

    public static EventLogResult<T> Fail<T>(int status, string error)
        where T : class => new(null, status, error);
}
