using System.Text.Json;
using Eventd.Gateway.Http;
using Eventd.Grains.Interfaces;

namespace Eventd.Gateway.Endpoints;

/// <summary>
/// The <c>flowControl</c> object of an Eventd v1 body or a Space Cloud trigger (API.md "Flow control"):
/// <c>{"key", "rate", "period", "parallelism"}</c>, each error naming its field.
/// </summary>
public static class FlowControlField
{
    public const string Name = "flowControl";

    private static readonly string[] Known = ["key", "rate", "period", "parallelism"];

    public static (FlowControl? Limits, string? Error) Parse(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return (null, $"{Name}: must be an object {{\"key\", \"rate\", \"period\", \"parallelism\"}}");
        }

        if (UnknownFields.In(value, Known) is { } unknown)
        {
            return (null, $"{Name}.{unknown}");
        }

        if (!value.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.String || !EventdV1Rules.Channel().IsMatch(key.GetString()!))
        {
            return (null, $"{Name}.key: required, must match {EventdV1Rules.ChannelRule}");
        }

        if (Whole(value, "rate", 1, 10_000, out var rate) is { } rateError)
        {
            return (null, rateError);
        }

        if (Whole(value, "period", 1, 3_600, out var period) is { } periodError)
        {
            return (null, periodError);
        }

        if (Whole(value, "parallelism", 1, 1_000, out var parallelism) is { } parallelismError)
        {
            return (null, parallelismError);
        }

        if (rate is null && parallelism is null)
        {
            return (null, $"{Name}.rate: give rate, parallelism or both");
        }

        return (new FlowControl { Key = key.GetString()!, Rate = rate, Period = period ?? 1, Parallelism = parallelism }, null);
    }

    /// <summary>The ordering key of an Eventd v1 body: a name by the channel rule.</summary>
    public static (string? Key, string? Error) ParseOrderingKey(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && EventdV1Rules.Channel().IsMatch(value.GetString()!)
            ? (value.GetString(), null)
            : (null, $"orderingKey: must match {EventdV1Rules.ChannelRule}");

    private static string? Whole(JsonElement body, string field, int min, int max, out int? value)
    {
        value = null;
        if (!body.TryGetProperty(field, out var given) || given.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (!JsonNumbers.TryGetWholeInt32(given, min, max, out var n))
        {
            return $"{Name}.{field}: must be an integer from {min} to {max}";
        }

        value = n;
        return null;
    }
}
