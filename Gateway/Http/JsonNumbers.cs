using System.Text.Json;

namespace Eventd.Gateway.Http;

public static class JsonNumbers
{
    /// <summary>
    /// A JSON number with no fractional part, as an int: <c>100</c> and <c>100.0</c> alike, since JSON does not
    /// tell them apart and some clients (Python floats, JavaScript arithmetic) write the second.
    /// </summary>
    /// <summary>As <see cref="TryGetWholeInt32(JsonElement, out int)"/>, and from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static bool TryGetWholeInt32(JsonElement value, int min, int max, out int number) =>
        TryGetWholeInt32(value, out number) && number >= min && number <= max;

    public static bool TryGetWholeInt32(JsonElement value, out int number)
    {
        number = 0;
        if (value.ValueKind != JsonValueKind.Number)
        {
            return false;
        }

        if (value.TryGetInt32(out number))
        {
            return true;
        }

        if (value.TryGetDouble(out var real) && double.IsFinite(real) && Math.Floor(real) == real && real is >= int.MinValue and <= int.MaxValue)
        {
            number = (int)real;
            return true;
        }

        return false;
    }
}
