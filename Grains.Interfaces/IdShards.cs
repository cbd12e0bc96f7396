using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Eventd.Grains.Interfaces;

/// <summary>
/// The shard an id falls in: an event's bucket and its status-index entries go by it, a dead letter's
/// every-project entry by its delivery key's. Stable across processes and upgrades (unlike
/// <c>string.GetHashCode</c>), so a retried write lands where the first did and a removal finds it.
/// </summary>
public static class IdShards
{
    public const int Count = 16;

    private const int IdBytes = 16;

    public static int Of(string id) => (int)(XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(id)) % Count);

    /// <summary>
    /// A new id (32 lowercase hex digits, 120 of its bits random) that falls in <paramref name="shard"/>:
    /// ids minted for one batch share their index writes (one script and one bucket command for the batch
    /// rather than one per shard). The last byte is tried until the shard matches; 256 tries miss with a
    /// chance of e^-16, when a fresh draw starts over.
    /// </summary>
    public static string NewId(int shard)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shard, Count);
        Span<byte> random = stackalloc byte[IdBytes - 1];
        Span<byte> hex = stackalloc byte[IdBytes * 2];
        while (true)
        {
            RandomNumberGenerator.Fill(random);
            Convert.TryToHexStringLower(random, hex, out _);
            for (var last = 0; last <= byte.MaxValue; last++)
            {
                Convert.TryToHexStringLower([(byte)last], hex[^2..], out _);
                if (XxHash32.HashToUInt32(hex) % Count == shard)
                {
                    return Encoding.ASCII.GetString(hex);
                }
            }
        }
    }
}
