namespace Eventd.Gateway.Http;

/// <summary>
/// Endpoint metadata: this route creates something, so <see cref="IdempotencyMiddleware"/> honours an
/// <c>Idempotency-Key</c> on it. Routes that only change or remove (cancel, update) do not carry it.
/// </summary>
public sealed class IdempotentCreate
{
    public static readonly IdempotentCreate Instance = new();

    private IdempotentCreate()
    {
    }
}

public static class IdempotencyEndpointExtensions
{
    /// <summary>
    /// Opts a route that creates something into <c>Idempotency-Key</c> (API.md "General rules"): a POST
    /// repeating a key answers the first response again, with <c>Idempotent-Replayed: true</c>, and creates
    /// nothing. Needs <c>app.UseMiddleware&lt;IdempotencyMiddleware&gt;()</c> in the pipeline.
    /// </summary>
    public static TBuilder WithIdempotency<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(IdempotentCreate.Instance);
}
