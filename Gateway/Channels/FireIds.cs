using System.Text;
using System.Text.Json;

namespace Eventd.Gateway.Channels;

/// <summary>A channel message's event <c>id</c> and <c>seq</c>, read without parsing the data behind them.</summary>
public readonly record struct FireIds(string EventId, long Seq)
{
    public static FireIds? Of(string message)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(message));
        string? id = null;
        long? seq = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while ((id is null || seq is null) && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("id"u8);
                var isSeq = reader.ValueTextEquals("seq"u8);
                reader.Read();
                if (isId && reader.TokenType == JsonTokenType.String)
                {
                    id = reader.GetString();
                }
                else if (isSeq && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number))
                {
                    seq = number;
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return id is null || seq is null ? null : new FireIds(id, seq.Value);
    }
}
