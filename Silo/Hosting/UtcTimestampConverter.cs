using System.Text.Json;
using System.Text.Json.Serialization;

namespace Eventd.Silo.Hosting;

/// <summary>
/// Writes a UTC <see cref="DateTimeOffset"/> ending in <c>Z</c> rather than <c>+00:00</c> (every stored time
/// is one, five bytes each); any other offset is written as it is. Both forms read back to the same value.
/// </summary>
internal sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        if (value.Offset == TimeSpan.Zero)
        {
            writer.WriteStringValue(value.UtcDateTime);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
