using Eventd.Grains.Delivery;
using Eventd.Grains.Interfaces;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>When an event may make a fire's first attempt itself instead of handing it to a delivery grain.</summary>
public class FirstAttemptRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static WebhookRequest Target(int timeoutMs, FlowControl? flowControl = null, string? orderingKey = null) => new()
    {
        EventId = "e",
        Seq = 1,
        Target = DeliveryKeys.Webhook,
        Webhook = new WebhookTarget { Url = "https://example.com/hook", TimeoutMs = timeoutMs, FlowControl = flowControl },
        OrderingKey = orderingKey,
    };

    [Fact]
    public void A_one_shot_fire_with_a_short_timeout_is_sent_by_its_event() =>
        Assert.True(FirstAttempt.Suits(Target(5000), nextDue: null, Now));

    [Fact]
    public void A_timeout_at_the_inline_limit_is_still_sent_by_its_event() =>
        Assert.True(FirstAttempt.Suits(Target((int)FirstAttempt.LongestInline.TotalMilliseconds), nextDue: null, Now));

    [Fact]
    public void A_timeout_beyond_the_inline_limit_goes_to_the_delivery_grain() =>
        Assert.False(FirstAttempt.Suits(Target((int)FirstAttempt.LongestInline.TotalMilliseconds + 1), nextDue: null, Now));

    [Fact]
    public void A_repeating_fire_whose_next_fire_is_due_within_the_timeout_goes_to_the_delivery_grain() =>
        Assert.False(FirstAttempt.Suits(Target(5000), nextDue: Now.AddSeconds(5), Now));

    [Fact]
    public void A_repeating_fire_whose_next_fire_comes_after_the_timeout_is_sent_by_its_event() =>
        Assert.True(FirstAttempt.Suits(Target(5000), nextDue: Now.AddSeconds(5.001), Now));

    [Fact]
    public void A_fire_under_a_flow_control_key_waits_its_turn_in_the_delivery_grain() =>
        Assert.False(FirstAttempt.Suits(Target(5000, flowControl: new FlowControl { Key = "k", Rate = 1 }), nextDue: null, Now));

    [Fact]
    public void A_fire_with_an_ordering_key_waits_its_turn_in_the_delivery_grain() =>
        Assert.False(FirstAttempt.Suits(Target(5000, orderingKey: "k"), nextDue: null, Now));
}
