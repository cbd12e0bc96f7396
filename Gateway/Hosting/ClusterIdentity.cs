namespace Eventd.Gateway.Hosting;

/// <summary>The <c>Orleans</c> section as the gateway reads it: which cluster to join.</summary>
public sealed class ClusterIdentity
{
    public const string Section = "Orleans";

    public string ClusterId { get; set; } = "eventd";
    public string ServiceId { get; set; } = "eventd";
}
