using System.Net;
using System.Net.Sockets;

namespace Eventd.TestSupport;

public static class FreePort
{
    // Below Linux's ephemeral range (32768-60999): a port the kernel handed out with bind(0) is
    // also what it hands to outgoing connections, so one could take it between this check and the
    // service binding it ("Address already in use" when a silo started a moment later).
    private const int First = 20_000;
    private const int Last = 32_000;

    // Tests run in parallel in one process: a port handed out is not free again for this process even
    // before its service binds it (a silo binds seconds after its port was picked), so none is handed twice.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, bool> HandedOut = new();

    /// <summary>
    /// A TCP port on 127.0.0.1 that nothing listens on right now and that this process has not handed out
    /// before, outside the range outgoing connections use.
    /// </summary>
    public static int Next()
    {
        for (var tries = 0; tries < 1_000; tries++)
        {
            var port = Random.Shared.Next(First, Last);
            if (!HandedOut.TryAdd(port, true))
            {
                continue;
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        throw new InvalidOperationException($"no free port on 127.0.0.1 between {First} and {Last}");
    }
}
