using Eventd.Grains.Interfaces;
using Eventd.Grains.Schedules;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>What a slot does while an earlier fire of its event is still delivering, per overlap policy.</summary>
public class OverlapTests
{
    [Theory]
    [InlineData(OverlapPolicy.Allow, false, false, OverlapAction.Fire)]
    [InlineData(OverlapPolicy.Skip, false, false, OverlapAction.Fire)]
    [InlineData(OverlapPolicy.BufferOne, false, false, OverlapAction.Fire)]
    [InlineData(OverlapPolicy.Allow, true, false, OverlapAction.Fire)]
    [InlineData(OverlapPolicy.Skip, true, false, OverlapAction.Skip)]
    [InlineData(OverlapPolicy.BufferOne, true, false, OverlapAction.Buffer)]
    [InlineData(OverlapPolicy.BufferOne, true, true, OverlapAction.Skip)]
    public void A_slot_due_while_delivering_follows_its_policy(OverlapPolicy policy, bool delivering, bool buffered, OverlapAction expected) =>
        Assert.Equal(expected, Overlap.Decide(policy, delivering, buffered));
}
