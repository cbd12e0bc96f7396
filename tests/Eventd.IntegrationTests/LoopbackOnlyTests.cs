using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Eventd.TestSupport;

namespace Eventd.IntegrationTests;

/// <summary>API.md "Keys and auth": with no admin key the gateway listens on loopback only, and says so.</summary>
public sealed class LoopbackOnlyTests
{
    [Fact]
    public async Task Without_an_admin_key_a_gateway_told_to_listen_everywhere_listens_on_loopback_only()
    {
        await using var redis = new RedisServer();
        await redis.StartAsync();
        var port = FreePort.Next();
        await using var gateway = ServiceProcess.Start("gateway-loopback", EventdCluster.Built("Gateway", "Eventd.Gateway.dll"), new Dictionary<string, string>
        {
            ["Redis__ConnectionString"] = redis.ConnectionString,
            ["ASPNETCORE_URLS"] = $"http://0.0.0.0:{port}",
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };

        await Poll.UntilAsync(
            async () => { try { return (await http.GetAsync("/healthz")).StatusCode; } catch (HttpRequestException) { return HttpStatusCode.ServiceUnavailable; } },
            status => status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60),
            "the gateway to answer on 127.0.0.1");

        await Poll.UntilAsync(() => gateway.Output.Contains("No Eventd:Auth:AdminKey", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the warning");
        Assert.Contains($"http://0.0.0.0:{port}", gateway.Output, StringComparison.Ordinal);
        foreach (var address in NonLoopbackAddresses())
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            var refused = await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(address, port));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
    }

    private static IEnumerable<IPAddress> NonLoopbackAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
}
