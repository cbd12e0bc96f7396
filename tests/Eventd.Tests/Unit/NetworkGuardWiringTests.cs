using Eventd.Grains.Delivery;
using Eventd.Grains.Hosting;
using Eventd.Grains.Interfaces;
using Eventd.Grains.Interfaces.Options;
using Eventd.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Eventd.Tests.Unit;

/// <summary>The guard as the silo wires it: the real sender and HTTP client against a real receiver on 127.0.0.1.</summary>
public sealed class NetworkGuardWiringTests : IAsyncLifetime
{
    private readonly Receiver _receiver = new();

    public Task InitializeAsync() => _receiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Loopback_target_is_a_failed_attempt_saying_why_and_nothing_is_sent()
    {
        var path = $"/guarded/{Guid.NewGuid():N}";

        var outcome = await SenderAllowingPrivate(false).SendAsync(Request(_receiver.Url(path)), 1, CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Null(outcome.Attempt.StatusCode);
        Assert.StartsWith("refused: 127.0.0.1 resolves to a private, loopback or reserved address", outcome.Attempt.Error);
        Assert.Empty(_receiver.ReceivedOn(path));
    }

    [Theory]
    [InlineData("http://0.0.0.0:9/x", "0.0.0.0")]
    [InlineData("http://[::]:9/x", "[::]")]
    public async Task An_unspecified_address_is_refused_saying_why(string url, string host)
    {
        var outcome = await SenderAllowingPrivate(false).SendAsync(Request(url), 1, CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.StartsWith($"refused: {host} resolves to a private, loopback or reserved address", outcome.Attempt.Error);
    }

    [Fact]
    public async Task Loopback_target_is_reached_when_private_networks_are_allowed()
    {
        var path = $"/allowed/{Guid.NewGuid():N}";

        var outcome = await SenderAllowingPrivate(true).SendAsync(Request(_receiver.Url(path)), 1, CancellationToken.None);

        Assert.True(outcome.Succeeded);
        Assert.Single(_receiver.ReceivedOn(path));
    }

    private static WebhookSender SenderAllowingPrivate(bool allow)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddEventdGrainServices();
        services.AddSigningWithoutGrains();
        services.PostConfigure<DeliveryOptions>(o => o.AllowPrivateNetworks = allow);
        return services.BuildServiceProvider().GetRequiredService<WebhookSender>();
    }

    private static WebhookRequest Request(string url) => new()
    {
        EventId = Guid.NewGuid().ToString("N"),
        Seq = 1,
        Target = DeliveryKeys.Webhook,
        // Generous: the first request of a fresh HTTP stack, with the whole suite sharing two cores, has taken over 2 s.
        Webhook = new WebhookTarget { Url = url, TimeoutMs = 15_000 },
    };
}
