namespace Eventd.Grains.Interfaces;

/// <summary>One endpoint of one project, keyed <see cref="EndpointOrigin.Key"/>: its health and whether fires may reach it.</summary>
[Alias("Eventd.IEndpointHealthGrain")]
public interface IEndpointHealthGrain : IGrainWithStringKey
{
    [Alias("Get")]
    Task<EndpointView> Get();

    /// <summary>Counts failed attempts; a 410, or failure sustained past <c>Eventd:Delivery:DisableAfter</c>, disables the endpoint.</summary>
    [Alias("Failed")]
    Task<EndpointView> Failed(EndpointFailures failures);

    /// <summary>A delivered attempt: the endpoint is no longer failing (a disabled one stays disabled).</summary>
    [Alias("Succeeded")]
    Task<EndpointView> Succeeded(DateTimeOffset at);

    /// <summary>Enables the endpoint again; false for an origin never seen (nothing is stored then).</summary>
    [Alias("Enable")]
    Task<bool> Enable();
}

/// <summary>Reads the endpoint index the health grains write.</summary>
[Alias("Eventd.IEndpointListGrain")]
public interface IEndpointListGrain : IGrainWithIntegerKey
{
    /// <summary>The project's endpoints, by origin.</summary>
    [Alias("List")]
    Task<IReadOnlyList<EndpointView>> List(string project);

    /// <summary>Disabled endpoints of every project, for the gauge.</summary>
    [Alias("DisabledCount")]
    Task<long> DisabledCount();
}
