using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Diagnostics;

namespace Eventd.Gateway.Telemetry;

/// <summary>
/// The gateway's traces (each request and the grain calls it makes) exported over OTLP, only when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set: without it nothing listens, so no span is made on the way.
/// </summary>
public static class GatewayTracing
{
    public static bool IsOn(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    public static WebApplicationBuilder AddEventdTracing(this WebApplicationBuilder builder)
    {
        if (IsOn(builder.Configuration))
        {
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(resource => resource.AddService("eventd-gateway"))
                .WithTracing(tracing => tracing
                    .AddAspNetCoreInstrumentation()
                    .AddSource(ActivitySources.AllActivitySourceName)
                    .AddOtlpExporter());
        }

        return builder;
    }
}
