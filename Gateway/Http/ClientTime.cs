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

    // ISO 8601, extended or basic, any number of fraction digits after '.' or ',' (kept to 100 ns), offset Z,
    // ±hh, ±hh:mm or ±hhmm. The general parser would also take local forms like 01/02/2030, and no more
    // than 7 fraction digits, which Go and Java clients often exceed.
    [GeneratedRegex(@"^(?<y>\d{4})-?(?<mo>\d{2})-?(?<d>\d{2})(T(?<h>\d{2}):?(?<mi>\d{2})(:?(?<s>\d{2})([.,](?<f>\d+))?)?(?<z>Z|[+-]\d{2}(:?\d{2})?)?)?\z")]
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
            case JsonValueKind.String when IsoDate().Match(value.GetString()!) is { Success: true } iso:
                return DateTimeOffset.TryParseExact(
                    Canonical(iso),
                    "yyyy-MM-dd'T'HH:mm:ss.fffffffzzz",
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal,
                    out time);
            default:
                return false;
        }
    }

    /// <summary>The matched time written one way: extended format, 7 fraction digits, an offset of hh:mm (UTC when none).</summary>
    private static string Canonical(Match iso)
    {
        string Part(string name, string absent = "00") => iso.Groups[name].Success ? iso.Groups[name].Value : absent;
        var fraction = Part("f", "").PadRight(7, '0')[..7];
        var offset = Part("z", "Z") switch
        {
            "Z" => "+00:00",
            { Length: 3 } hours => $"{hours}:00",
            var given => $"{given[..3]}:{given[^2..]}",
        };
        return $"{Part("y")}-{Part("mo")}-{Part("d")}T{Part("h")}:{Part("mi")}:{Part("s")}.{fraction}{offset}";
    }
}
