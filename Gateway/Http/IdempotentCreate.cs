namespace Eventd.Gateway.Http;

/// <summary>
/// Endpoint metadata: this route creates something, so <see cref="IdempotencyMiddleware"/> honours an
/// <c>Idempotency-Key</c> on it. Routes that only change or remove (cancel, update) do not carry it.
/// </summary>
public sealed class IdempotentCreate
{
    public static readonly IdempotentCreate Instance = new(byIdentity: false);

    public static readonly IdempotentCreate ByIdentity = new(byIdentity: true);

    private IdempotentCreate(bool byIdentity) => IsByIdentity = byIdentity;

    /// <summary>
    /// The route creates under <see cref="IdempotentIdentity.IdFor"/>: running it twice for one key makes
    /// one object, so a repeat whose first attempt never answered may run it again instead of waiting.
    /// </summary>
    public bool IsByIdentity { get; }
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

    /// <summary>
    /// As <see cref="WithIdempotency{TBuilder}"/>, for a route that creates its object under
    /// <see cref="IdempotentIdentity.IdFor"/>: a repeat whose first attempt died mid-request is answered
    /// within seconds (the first response, or the object as created) instead of a long <c>409</c>.
    /// </summary>
    public static TBuilder WithIdempotencyByIdentity<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(IdempotentCreate.ByIdentity);
}
