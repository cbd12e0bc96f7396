using Eventd.Gateway.EventLog;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>An event's full name: the non-blank parts of platform, label and name, lower-cased, joined by '.'.</summary>
public class EventLogFullNameTests
{
    [Theory]
    [InlineData("Web", "App", "SignUp", "web.app.signup")]
    [InlineData("Web", null, "SignUp", "web.signup")]
    [InlineData(null, "App", "SignUp", "app.signup")]
    [InlineData("", "  ", "SignUp", "signup")]
    [InlineData(null, null, "Order.Paid", "order.paid")]
    [InlineData("iOS", "Checkout", null, "ios.checkout")]
    [InlineData(null, null, null, "")]
    public void Blank_parts_are_left_out_and_the_rest_lower_cased(string? platform, string? label, string? eventName, string fullName) =>
        Assert.Equal(fullName, FullEventName.Of(platform, label, eventName));
}
