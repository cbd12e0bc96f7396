namespace Eventd.Grains.Interfaces;

/// <summary>
/// One <c>Idempotency-Key</c> of one project, keyed <c>{project}/{sha256 of the key}</c>: which request
/// holds it, and the first response, kept 24 h so a repeat is answered with it again.
/// </summary>
[Alias("Eventd.IIdempotencyKeyGrain")]
public interface IIdempotencyKeyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Claims the key for the request whose hash is <paramref name="requestHash"/>, or answers what holds
    /// it. A claim held longer than <paramref name="takeOverAfter"/> without a response is taken over:
    /// its request died with its gateway, or is as good as dead.
    /// </summary>
    [Alias("Claim")]
    Task<IdempotencyClaim> Claim(string requestHash, TimeSpan takeOverAfter);

    /// <summary>Keeps the response the claiming request got; a repeat is answered with it from now on.</summary>
    [Alias("Remember")]
    Task Remember(string requestHash, IdempotentResponse response);

    /// <summary>Frees the key after the claiming request failed (a 5xx): the client may retry with it.</summary>
    [Alias("Release")]
    Task Release(string requestHash);
}
