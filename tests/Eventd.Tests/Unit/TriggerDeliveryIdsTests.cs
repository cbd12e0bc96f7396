using Eventd.Gateway.SpaceCloud;

namespace Eventd.Tests.Unit;

public sealed class TriggerDeliveryIdsTests
{
    [Fact]
    public void A_delivery_id_is_32_hex_the_same_for_a_queued_event_and_trigger_and_apart_otherwise()
    {
        var id = Guid.NewGuid().ToString("N");

        Assert.Matches("^[0-9a-f]{32}$", TriggerDeliveryIds.Of(id, "mailer"));
        Assert.Equal(TriggerDeliveryIds.Of(id, "mailer"), TriggerDeliveryIds.Of(id, "mailer"));
        Assert.NotEqual(TriggerDeliveryIds.Of(id, "mailer"), TriggerDeliveryIds.Of(id, "audit"));
        Assert.NotEqual(TriggerDeliveryIds.Of(id, "mailer"), TriggerDeliveryIds.Of(Guid.NewGuid().ToString("N"), "mailer"));
    }
}
