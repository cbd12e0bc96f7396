using System.ComponentModel.DataAnnotations;

namespace Eventd.Gateway.Hosting;

/// <summary>The <c>Eventd:Api</c> section.</summary>
public sealed class ApiOptions
{
    public const string Section = "Eventd:Api";

    [Range(1024, int.MaxValue)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The most events one <c>POST /eventd/v1/events/batch</c> may carry.</summary>
    [Range(1, 100_000)]
    public int MaxBatch { get; set; } = 1000;
}
