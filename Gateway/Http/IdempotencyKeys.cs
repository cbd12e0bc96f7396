using System.Security.Cryptography;
using System.Text;
using Eventd.Grains.Interfaces;

namespace Eventd.Gateway.Http;

/// <summary>Where the gateway finds an <c>Idempotency-Key</c>: its grain, one per project and key.</summary>
public sealed class IdempotencyKeys(Func<IGrainFactory> grains)
{
    public IIdempotencyKeyGrain For(string project, string key) =>
        grains().GetGrain<IIdempotencyKeyGrain>($"{project}/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))}");
}
