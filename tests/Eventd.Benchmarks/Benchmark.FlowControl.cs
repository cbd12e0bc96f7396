using System.Globalization;
using System.Net;
using System.Text;
using Eventd.Benchmarks.Infrastructure;
using Eventd.Benchmarks.Report;

namespace Eventd.Benchmarks;

/// <summary>
/// The flow-control phase (issue 15): fires offered at 2,000 a second to one key of <c>rate: 100</c>, and the
/// starts per second its receiver sees. Run just before the failover phase, which stops this cluster and
/// empties Redis: the fires still waiting at the key when it ends (they would go on at 100 a second) go with it.
/// </summary>
public sealed partial class Benchmark
{
    private const int FlowRate = 100;
    private const int FlowOfferedPerSec = 2_000;
    private static readonly TimeSpan FlowOfferWindow = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FlowMeasured = TimeSpan.FromSeconds(20);

    private async Task FlowControlAsync()
    {
        const string phase = "flow";
        var count = (int)(FlowOfferedPerSec * FlowOfferWindow.TotalSeconds);
        var key = $"bench-{Guid.NewGuid():N}";
        var windowStart = DateTimeOffset.UtcNow.AddSeconds(3);
        var startMs = windowStart.ToUnixTimeMilliseconds();
        var spanMs = FlowOfferWindow.TotalMilliseconds;
        Log($"flow control: {count:N0} fires due across {FlowOfferWindow.TotalSeconds} s ({FlowOfferedPerSec:N0}/s offered) to one key of rate {FlowRate}");
        var arrivals = _receiver.Expect(phase, count);
        var created = await Load.RunAsync(count, options.Concurrency, i => CreateKeyedEventAsync(startMs + (long)(i * spanMs / count), _receiver.Url(phase, i), key));
        NoteIfLate(phase, created, windowStart);

        var measuredEnd = windowStart + FlowMeasured;
        await DelayUntil(measuredEnd);
        var starts = arrivals.FirstArrivals.ToArray().Where(t => t > 0).Select(t => new DateTimeOffset(t, TimeSpan.Zero)).Order().ToList();
        var state = await ReadFlowKeyAsync(key);
        if (starts.Count == 0)
        {
            throw new InvalidOperationException($"no fire of the key arrived within {FlowMeasured.TotalSeconds} s");
        }

        var span = (starts[^1] - starts[0]).TotalSeconds;
        var busiest = BusiestSecond(starts);
        _results.FlowControl = new FlowControlFigures
        {
            Rate = FlowRate,
            OfferedPerSec = FlowOfferedPerSec,
            Delivered = starts.Count,
            StartsPerSec = span > 0 ? (starts.Count - 1) / span : null,
            BusiestSecond = busiest,
            WaitingAtEnd = state,
        };
        Log(Inv($"flow control: {starts.Count:N0} starts in {span:0.0} s = {(starts.Count - 1) / Math.Max(span, 1e-9):0.0}/s, busiest 1-s window {busiest}, {state} waiting at the key"));
    }

    /// <summary>The most arrivals in any 1-s window (each window starting at an arrival).</summary>
    private static int BusiestSecond(List<DateTimeOffset> sorted)
    {
        var most = 0;
        var from = 0;
        for (var to = 0; to < sorted.Count; to++)
        {
            while (sorted[to] - sorted[from] >= TimeSpan.FromSeconds(1))
            {
                from++;
            }

            most = Math.Max(most, to - from + 1);
        }

        return most;
    }

    private async Task<string?> CreateKeyedEventAsync(long timestampMs, string url, string key)
    {
        var body = string.Create(CultureInfo.InvariantCulture, $$$"""{"timestamp":{{{timestampMs}}},"url":"{{{url}}}","flowControl":{"key":"{{{key}}}","rate":{{{FlowRate}}}}}""");
        return await PostCreateAsync(body);
    }

    private async Task<int?> ReadFlowKeyAsync(string key)
    {
        using var response = await _http.GetAsync(new Uri(_gateway!, $"/eventd/v1/flow-control/{key}"));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("waiting").GetInt32();
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
