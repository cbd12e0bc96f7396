using System.Runtime.CompilerServices;

namespace Eventd.TestSupport;

internal static class TestThreadPool
{
    /// <summary>
    /// xunit runs the test classes in parallel, and on 2 cores the thread pool starts with 2 workers and
    /// adds about one a second; at a run's start, blocking waits in the libraries under test starved it
    /// long enough for a Redis command to time out after 5 s (CI, once). Start with enough workers.
    /// </summary>
#pragma warning disable CA2255 // a test assembly: this runs before any test, which is the point
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void StartWithEnoughWorkers()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
    }
}
