using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Schedules;

/// <summary>What a slot does that comes due while an earlier fire of its event is still delivering.</summary>
public enum OverlapAction
{
    Fire,
    Skip,

    /// <summary>Waits, and fires as soon as the earlier fire settles.</summary>
    Buffer,
}

/// <summary>The <c>overlap</c> policy (API.md "Schedules").</summary>
public static class Overlap
{
    /// <param name="policy">The event's policy.</param>
    /// <param name="delivering">Whether an earlier fire of the event is still delivering.</param>
    /// <param name="buffered">Whether a slot is already waiting for it (<c>bufferOne</c> keeps one).</param>
    public static OverlapAction Decide(OverlapPolicy policy, bool delivering, bool buffered) =>
        !delivering || policy == OverlapPolicy.Allow ? OverlapAction.Fire
        : policy == OverlapPolicy.BufferOne && !buffered ? OverlapAction.Buffer
        : OverlapAction.Skip;
}
