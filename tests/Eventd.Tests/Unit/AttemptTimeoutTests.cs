using System.Net;
using System.Net.Sockets;
using Eventd.Grains.Delivery;
using Eventd.Grains.Hosting;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Eventd.Tests.Unit;

/// <summary>The per-attempt timeout, against a real socket that accepts and never answers.</summary>
public sealed class AttemptTimeoutTests : IDisposable
{
    private readonly TcpListener _silent = new(IPAddress.Loopback, 0);

    public AttemptTimeoutTests() => _silent.Start();

    public void Dispose() => _silent.Dispose();

    [Fact]
    public async Task Receiver_that_never_answers_is_a_failed_attempt_after_the_timeout()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddEventdGrainServices();
        services.AddSigningWithoutGrains();
        services.PostConfigure<DeliveryOptions>(o => o.AllowPrivateNetworks = true);
        var sender = services.BuildServiceProvider().GetRequiredService<WebhookSender>();
        var port = ((IPEndPoint)_silent.LocalEndpoint).Port;
        var request = new WebhookRequest
        {
            EventId = Guid.NewGuid().ToString("N"),
            Seq = 1,
            Target = DeliveryKeys.Webhook,
            Webhook = new WebhookTarget { Url = $"http://127.0.0.1:{port}/slow", TimeoutMs = 300 },
        };

        var outcome = await sender.SendAsync(request, 1, CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Null(outcome.Attempt.StatusCode);
        Assert.Equal("timeout after 300 ms", outcome.Attempt.Error);
        Assert.InRange(outcome.Attempt.DurationMs, 290, 5000);
    }
}
