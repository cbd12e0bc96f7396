namespace Eventd.Gateway.Endpoints;

/// <summary>
/// Lists in the OpenAPI document the error statuses a route's handler answers itself, in its family's body shape.
/// Metadata only: the handler's typed results decide what is sent; the document could not see these ones, which
/// are written as <c>JsonHttpResult</c>.
/// </summary>
public static class ErrorDocs
{
    public static RouteHandlerBuilder Refuses<TError>(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.Produces<TError>(status, "application/json");
        }

        return builder;
    }
}
