using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Endpoints;

/// <summary>
/// What one silo knows of one endpoint (see <see cref="EndpointGate"/>): the health grain's last answer,
/// and the failed attempts not reported yet. Attempts of many grains share it, so it locks; at most one
/// read, one success report and one failure report are in flight at a time, so a burst of attempts (the
/// first ones to a new endpoint, or many failing at once) makes one grain call, not one each.
/// </summary>
public sealed class EndpointEntry(IEndpointHealthGrain grain)
{
    private readonly Lock _lock = new();
    private Task<EndpointView>? _reading;
    private int _unreported;
    private DateTimeOffset _firstUnreportedAt;
    private DateTimeOffset _lastUnreportedAt;
    private bool _gone;
    private bool _reportingFailures;
    private bool _reportingSuccess;
    private DateTimeOffset _failuresReportedAt;
    private DateTimeOffset _successReportedAt;

    public IEndpointHealthGrain Grain => grain;

    /// <summary>The grain's last answer; null until the first.</summary>
    public EndpointView? View { get; private set; }

    /// <summary>When the last read started (or an answer came), so a read that fails is not retried by every attempt.</summary>
    public DateTimeOffset CheckedAt { get; private set; }

    public bool Reading => _reading is { IsCompleted: false };

    public void Apply(EndpointView view, DateTimeOffset now)
    {
        lock (_lock)
        {
            View = view;
            CheckedAt = now;
        }
    }

    /// <summary>Asks the grain again; concurrent askers share one call.</summary>
    public Task<EndpointView> ReadAsync(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_reading is { IsCompleted: false } reading)
            {
                return reading;
            }

            CheckedAt = now;
            return _reading = LoadAsync(now);
        }
    }

    /// <summary>
    /// Whether this success must be reported: the grain does not know the endpoint, counts it failing, or
    /// heard of no success for <paramref name="every"/>; and no success report is in flight.
    /// </summary>
    public bool TakeSuccessReport(DateTimeOffset now, TimeSpan every)
    {
        lock (_lock)
        {
            if (_reportingSuccess || (View is { Known: true, Failing: false } && now - _successReportedAt < every))
            {
                return false;
            }

            _reportingSuccess = true;
            _successReportedAt = now;
            return true;
        }
    }

    public void SuccessReported()
    {
        lock (_lock)
        {
            _reportingSuccess = false;
        }
    }

    /// <summary>
    /// Counts a failed attempt; returns the failures to report when a report is due: a 410, the first
    /// failure the grain does not know of, every <paramref name="batch"/>-th, or none reported for
    /// <paramref name="every"/>. While one report is in flight the others wait for the next failure (a 410 does not).
    /// </summary>
    public EndpointFailures? AddFailure(DateTimeOffset at, bool gone, DateTimeOffset now, int batch, TimeSpan every)
    {
        lock (_lock)
        {
            if (_unreported == 0)
            {
                _firstUnreportedAt = at;
            }

            _unreported++;
            _lastUnreportedAt = at;
            _gone |= gone;
            var due = _gone || (!_reportingFailures && (View is not { Failing: true } || _unreported >= batch || now - _failuresReportedAt >= every));
            if (!due)
            {
                return null;
            }

            var failures = new EndpointFailures(_unreported, _firstUnreportedAt, _lastUnreportedAt, _gone);
            _unreported = 0;
            _gone = false;
            _reportingFailures = true;
            _failuresReportedAt = now;
            return failures;
        }
    }

    public void FailuresReported()
    {
        lock (_lock)
        {
            _reportingFailures = false;
        }
    }

    private async Task<EndpointView> LoadAsync(DateTimeOffset now)
    {
        var view = await grain.Get();
        Apply(view, now);
        return view;
    }
}
