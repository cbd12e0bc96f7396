using Eventd.Grains.Delivery;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Diagnostics;

namespace Eventd.Silo.Hosting;

/// <summary>
/// The silo's traces (grain calls, webhook attempts and their HTTP requests) exported over OTLP, only
/// when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set: without it nothing listens, and a fire makes no span.
/// </summary>
public static class SiloTracing
{
    /// <summary>The ActivitySource .NET's HttpClient starts its request spans from.</summary>
    public const string HttpClientSource = "System.Net.Http";

    public static bool IsOn(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    public static WebApplicationBuilder AddEventdTracing(this WebApplicationBuilder builder)
    {
        if (IsOn(builder.Configuration))
        {
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(resource => resource.AddService("eventd-silo"))
                .WithTracing(tracing => tracing
                    .AddSource(ActivitySources.AllActivitySourceName, DeliveryTracing.SourceName, HttpClientSource)
                    .AddOtlpExporter());
        }

        return builder;
    }
}
