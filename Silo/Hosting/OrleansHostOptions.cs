using System.ComponentModel.DataAnnotations;

namespace Eventd.Silo.Hosting;

/// <summary>The <c>Orleans</c> section: a silo's identity and ports.</summary>
public sealed class OrleansHostOptions
{
    public const string Section = "Orleans";

    [Required] public string ClusterId { get; set; } = "eventd";
    [Required] public string ServiceId { get; set; } = "eventd";
    [Range(1, 65535)] public int SiloPort { get; set; } = 11111;
    [Range(1, 65535)] public int GatewayPort { get; set; } = 30000;

    /// <summary>Serves <c>/metrics</c>, <c>/healthz</c> and <c>/dashboard</c>.</summary>
    [Range(1, 65535)] public int MetricsPort { get; set; } = 9091;

    /// <summary>The address other silos and clients reach this silo at.</summary>
    [Required] public string AdvertisedIP { get; set; } = "127.0.0.1";

    /// <summary>Listen on every interface (containers) rather than only the advertised address.</summary>
    public bool ListenOnAnyHostAddress { get; set; }
}
