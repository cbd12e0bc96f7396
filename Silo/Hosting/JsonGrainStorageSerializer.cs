using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Storage;

namespace Eventd.Silo.Hosting;

/// <summary>
/// Grain state as plain camelCase JSON (no <c>$type</c> noise), so an operator can read an
/// event with <c>redis-cli HGET … data</c>.
/// </summary>
public sealed class JsonGrainStorageSerializer : IGrainStorageSerializer
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public BinaryData Serialize<T>(T? input) => BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(input, Options));

    public T? Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>(Options);
}
