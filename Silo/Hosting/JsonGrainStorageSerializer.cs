using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Orleans.Storage;

namespace Eventd.Silo.Hosting;

/// <summary>
/// Grain state as plain camelCase JSON (no <c>$type</c> noise), so an operator can read an event with
/// <c>redis-cli GET …</c>. Compact, because every pending event keeps its state in Redis: a property
/// still at the value a new object starts with is left out (reading it back gives that value again),
/// a UTC time ends in <c>Z</c>, and text is escaped only where JSON needs it.
/// </summary>
public sealed class JsonGrainStorageSerializer : IGrainStorageSerializer
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new UtcTimestampConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { InitialValues.LeaveOut } },
    };

    public BinaryData Serialize<T>(T? input) => BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(input, Options));

    public T? Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>(Options);
}
