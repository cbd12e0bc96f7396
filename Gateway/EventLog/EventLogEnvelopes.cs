namespace Eventd.Gateway.EventLog;

/// <summary>The answer of <c>/emit</c>: <c>{"status": "success", "key"}</c>.</summary>
public sealed record EmittedEnvelope(string Status, string Key)
{
    public static EmittedEnvelope Of(string key) => new("success", key);
}

public sealed record RowsEnvelope(IReadOnlyList<EventRow> Rows, long Total, int Page, int PageSize, int TotalPages);

public sealed record FullNameEnvelope(string FullName);
