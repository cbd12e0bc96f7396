namespace Eventd.Grains.Interfaces;

[GenerateSerializer, Alias("Eventd.CancelOutcome")]
public enum CancelOutcome
{
    NotFound = 0,
    Cancelled = 1,
}

[GenerateSerializer, Alias("Eventd.RedeliverOutcome")]
public enum RedeliverOutcome
{
    NotFound = 0,
    Redelivering = 1,

    /// <summary>The event has no webhook fire to send again (no webhook, or it never fired).</summary>
    NothingToRedeliver = 2,

    /// <summary>The last fire is still being delivered.</summary>
    AlreadyDelivering = 3,
}

/// <summary>How a pause or a resume ended.</summary>
[GenerateSerializer, Alias("Eventd.PauseOutcome")]
public enum PauseOutcome
{
    NotFound = 0,

    /// <summary>Done, or nothing to do (pausing a paused event, resuming a scheduled one).</summary>
    Done = 1,

    /// <summary>The event is cancelled or has nothing left to fire.</summary>
    Finished = 2,
}
