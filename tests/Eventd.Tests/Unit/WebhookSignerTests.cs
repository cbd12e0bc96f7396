using System.Security.Cryptography;
using System.Text;
using Eventd.Grains.Delivery;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>Standard Webhooks signatures: <c>v1,</c> + base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>.</summary>
public class WebhookSignerTests
{
    [Fact]
    public void Signature_matches_the_standard_webhooks_test_vector()
    {
        var signer = new WebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        var signature = signer.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}""");

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void Signature_is_hmac_sha256_keyed_by_the_decoded_secret()
    {
        var key = Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray();
        var signer = new WebhookSigner("whsec_" + Convert.ToBase64String(key));
        const string Body = """{"order":42,"note":"caf\u00e9 ☕"}""";

        var signature = signer.Sign("0123456789abcdef0123456789abcdef.3", 1_772_366_400, Body);

        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"0123456789abcdef0123456789abcdef.3.1772366400.{Body}"));
        Assert.Equal("v1," + Convert.ToBase64String(expected), signature);
    }

    [Fact]
    public void Every_signed_part_changes_the_signature()
    {
        var signer = new WebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        var original = signer.Sign("msg_1", 1614265330, "{}");

        Assert.NotEqual(original, signer.Sign("msg_2", 1614265330, "{}"));
        Assert.NotEqual(original, signer.Sign("msg_1", 1614265331, "{}"));
        Assert.NotEqual(original, signer.Sign("msg_1", 1614265330, "{ }"));
        Assert.NotEqual(original, new WebhookSigner("whsec_" + Convert.ToBase64String(new byte[24])).Sign("msg_1", 1614265330, "{}"));
    }

    [Fact]
    public void Empty_body_is_signed_too()
    {
        var key = new byte[] { 1, 2, 3, 4 };
        var signer = new WebhookSigner("whsec_" + Convert.ToBase64String(key));

        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("id.5.")));
        Assert.Equal("v1," + expected, signer.Sign("id", 5, ""));
    }

    [Theory]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("")]
    public void Secret_without_the_whsec_prefix_is_refused(string secret)
    {
        var error = Assert.Throws<ArgumentException>(() => new WebhookSigner(secret));

        Assert.Equal("secret", error.ParamName);
    }
}
