namespace Eventd.Grains.EventLog;

/// <summary>The event log's clock: the system's in a silo; tests move a fake one past the retention.</summary>
public sealed class EventLogClock(TimeProvider time)
{
    public long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();
}
