using Orleans.Runtime.Messaging;

namespace Eventd.Gateway.Hosting;

/// <summary>
/// Sends a grain call again when a silo rejected it, or when the gateway's connection to the silo it
/// chose failed (a silo that just died, not yet known as dead). Either comes before the call runs (say,
/// to an activation that is deactivating while a cancel settles it and forwarding failed), so repeating
/// it is safe, and the caller should not hear "cluster unavailable" from a healthy cluster.
/// </summary>
public static class RejectedCalls
{
    public const int MaxAttempts = 3;

    /// <summary>As <see cref="RetryAsync{T}"/>, for a call that answers nothing.</summary>
    public static Task RetryAsync(Func<Task> call) => RetryAsync(async () =>
    {
        await call();
        return true;
    });

    public static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (ex is OrleansMessageRejectionException or ConnectionFailedException && attempt < MaxAttempts)
            {
                // A new activation takes the next call; give the old one a moment to finish leaving.
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt));
            }
        }
    }
}
