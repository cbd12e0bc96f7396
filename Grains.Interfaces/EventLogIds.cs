using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Eventd.Grains.Interfaces;

/// <summary>The identifiers the event log hands out.</summary>
public static class EventLogIds
{
    /// <summary>An event key or a transaction's <c>txn</c>: 32 lowercase hex characters.</summary>
    public static string NewKey() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// An <c>_id</c>: 24 hex characters shaped like a MongoDB ObjectId (4 bytes of Unix seconds, then 8 random
    /// bytes), the form the rows of this API carry; it sorts roughly by creation.
    /// </summary>
    public static string NewObjectId(long atMs)
    {
        Span<byte> bytes = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)(atMs / 1000));
        RandomNumberGenerator.Fill(bytes[4..]);
        return Convert.ToHexStringLower(bytes);
    }

    public static bool IsKey(string value) => value.Length == 32 && value.All(char.IsAsciiHexDigitLower);
}
