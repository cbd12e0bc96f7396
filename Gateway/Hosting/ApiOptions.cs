using System.ComponentModel.DataAnnotations;

namespace Eventd.Gateway.Hosting;

/// <summary>The <c>Eventd:Api</c> section.</summary>
public sealed class ApiOptions
{
    public const string Section = "Eventd:Api";

    [Range(1024, int.MaxValue)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;
}
