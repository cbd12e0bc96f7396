using Eventd.Grains.Signing;

namespace Eventd.Tests.Unit;

/// <summary>The <c>v1a</c> signer against RFC 8032's first Ed25519 test vector (empty message).</summary>
public class Ed25519SignerTests
{
    private static readonly byte[] Seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

    [Fact]
    public void Public_key_and_signature_match_the_rfc_8032_test_vector()
    {
        using var signer = new Ed25519Signer("whsk_" + Convert.ToBase64String(Seed));

        Assert.Equal("whpk_" + Convert.ToBase64String(Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")), signer.PublicKey);
        var expected = Convert.FromHexString(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        Assert.Equal("v1a," + Convert.ToBase64String(expected), signer.Sign([]));
    }

    [Theory]
    [InlineData("whsec_nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=")]
    [InlineData("whsk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==")]
    [InlineData("")]
    public void A_key_without_the_prefix_or_of_another_length_is_refused(string key)
    {
        var error = Assert.Throws<ArgumentException>(() => new Ed25519Signer(key));

        Assert.Equal("signingKey", error.ParamName);
    }
}
