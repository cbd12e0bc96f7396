using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Flow;

/// <summary>
/// What a key's limits allow now: the starts of the last <c>period</c> seconds (a sliding window, so no
/// <c>period</c>-long stretch ever holds more than <c>rate</c> starts) and the attempts in flight, each
/// until its release or, when its release never comes (its silo died), until its hold runs out.
/// A start stays in the rate window while its attempt is in flight and counts from the attempt's end
/// (<see cref="Release"/>): its request reached the receiver before that end, whenever the network, a busy
/// silo or a new connection let it, so the next start, a period later, arrives a period later at least, as
/// the receiver's clock sees it.
/// </summary>
public sealed class FlowWindow
{
    /// <summary>The starts in the window, oldest first.</summary>
    private readonly List<(string Holder, DateTimeOffset At)> _starts = [];
    private readonly Dictionary<string, DateTimeOffset> _inFlight = new(StringComparer.Ordinal);

    public int InFlight => _inFlight.Count;

    public bool IsInFlight(string holder) => _inFlight.ContainsKey(holder);

    /// <summary>Forgets starts older than the window and holds that ran out.</summary>
    public void Expire(FlowControl limits, DateTimeOffset now)
    {
        foreach (var (holder, until) in _inFlight.Where(entry => entry.Value <= now).ToList())
        {
            _inFlight.Remove(holder);
        }

        var windowStart = now - Window(limits);
        _starts.RemoveAll(start => start.At <= windowStart && !_inFlight.ContainsKey(start.Holder));
    }

    /// <summary>Whether one more attempt may start now (after <see cref="Expire"/>).</summary>
    public bool CanStart(FlowControl limits) =>
        (limits.Rate is not { } rate || _starts.Count < rate) && (limits.Parallelism is not { } parallel || _inFlight.Count < parallel);

    public void Start(string holder, DateTimeOffset now, TimeSpan hold)
    {
        _starts.Add((holder, now));
        _inFlight[holder] = now + hold;
    }

    /// <summary>The start of <paramref name="holder"/> counts from <paramref name="at"/> (later than it did, never earlier).</summary>
    private void CountFrom(string holder, DateTimeOffset at)
    {
        var index = _starts.FindLastIndex(start => start.Holder == holder);
        if (index >= 0)
        {
            if (_starts[index].At >= at)
            {
                return;
            }

            _starts.RemoveAt(index);
        }

        var after = _starts.FindLastIndex(start => start.At <= at);
        _starts.Insert(after + 1, (holder, at));
    }

    /// <summary>Extends the hold of an attempt in flight (it asked again).</summary>
    public void Renew(string holder, DateTimeOffset now, TimeSpan hold) => _inFlight[holder] = now + hold;

    /// <summary>The attempt of <paramref name="holder"/> ended at <paramref name="at"/>: its start counts from then.</summary>
    public bool Release(string holder, DateTimeOffset at)
    {
        if (!_inFlight.Remove(holder))
        {
            return false;
        }

        CountFrom(holder, at);
        return true;
    }

    private static TimeSpan Window(FlowControl limits) => TimeSpan.FromSeconds(limits.Period) + KeyPermits.RateMargin;

    /// <summary>
    /// When the limits may next allow a start, when only time can (a full rate window): the first start to
    /// leave the window leaves it then (one in flight no sooner than its hold runs out). Null when only a
    /// release can, or when nothing holds a start back.
    /// </summary>
    public DateTimeOffset? NextOpening(FlowControl limits)
    {
        var rateFull = limits.Rate is { } rate && _starts.Count >= rate;
        var parallelFull = limits.Parallelism is { } parallel && _inFlight.Count >= parallel;
        var holdEnds = parallelFull ? _inFlight.Values.Min() : (DateTimeOffset?)null;
        var rateOpens = rateFull ? _starts.Min(start => Leaves(start, limits)) : (DateTimeOffset?)null;
        return (rateOpens, holdEnds) switch
        {
            ({ } r, { } h) => r > h ? r : h,
            ({ } r, null) => r,
            (null, { } h) => h,
            _ => null,
        };
    }

    private DateTimeOffset Leaves((string Holder, DateTimeOffset At) start, FlowControl limits)
    {
        var leaves = start.At + Window(limits);
        return _inFlight.TryGetValue(start.Holder, out var holdEnds) && holdEnds > leaves ? holdEnds : leaves;
    }
}
