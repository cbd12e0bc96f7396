using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Eventd.Gateway.Http;

/// <summary>
/// Times as clients send them: a number is milliseconds since the epoch, or seconds when below
/// 1e11 (the Space Cloud docs use both); a string is ISO 8601 (UTC when it names no offset).
/// </summary>
public static partial class ClientTime
{
    public const double SecondsBelow = 100_000_000_000d;

    // The general parser also takes local forms like 01/02/2030; only ISO 8601 is accepted.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})?)?\z")]
    private static partial Regex IsoDate();

    public static bool TryParse(JsonElement value, out DateTimeOffset time)
    {
        time = default;
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetDouble(out var number) && number >= 0 && double.IsFinite(number):
                var ms = number < SecondsBelow ? number * 1000d : number;
                if (ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
                {
                    return false;
                }

                time = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(ms));
                return true;
            case JsonValueKind.String when IsoDate().IsMatch(value.GetString()!):
                return DateTimeOffset.TryParse(
                    value.GetString(),
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                    out time);
            default:
                return false;
        }
    }
}
