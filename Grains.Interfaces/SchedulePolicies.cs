namespace Eventd.Grains.Interfaces;

/// <summary>What a repeating or cron event does with the slots that came due while nothing ran (API.md "Schedules").</summary>
[GenerateSerializer, Alias("Eventd.CatchupPolicy")]
public enum CatchupPolicy
{
    /// <summary>One fire for all of them (the default).</summary>
    One = 0,

    /// <summary>None of them; the next slot in the future fires.</summary>
    Skip = 1,

    /// <summary>Each of them, oldest first, up to <c>Eventd:Schedules:MaxCatchup</c>.</summary>
    All = 2,
}

/// <summary>What a slot due while an earlier fire of the event is still delivering does (API.md "Schedules").</summary>
[GenerateSerializer, Alias("Eventd.OverlapPolicy")]
public enum OverlapPolicy
{
    /// <summary>Fires anyway (the default).</summary>
    Allow = 0,

    /// <summary>Does not fire.</summary>
    Skip = 1,

    /// <summary>Fires as soon as the earlier fire settles; at most one waits.</summary>
    BufferOne = 2,
}
