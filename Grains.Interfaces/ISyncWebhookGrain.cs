namespace Eventd.Grains.Interfaces;

/// <summary>
/// Sends one webhook attempt from a silo and hands back the receiver's answer, for a caller that
/// waits on it (a synchronous Space Cloud queue). It goes through the same guarded HTTP client,
/// headers and signature as every delivery, but with no retries and nothing persisted.
/// </summary>
[Alias("Eventd.ISyncWebhookGrain")]
public interface ISyncWebhookGrain : IGrainWithIntegerKey
{
    /// <summary>One attempt, bounded by the request's timeout (at most 60 s, hence the longer response timeout).</summary>
    [Alias("Send")]
    [ResponseTimeout("00:01:10")]
    Task<SyncAnswer> Send(WebhookRequest request);
}
