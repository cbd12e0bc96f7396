using Eventd.Grains.Delivery;
using Eventd.Grains.Signing;
using Eventd.TestSupport;

namespace Eventd.Tests.Unit;

/// <summary>
/// <c>webhook-signature</c> with several secrets and an ed25519 key, checked as a receiver would: with the
/// Standard Webhooks library for <c>v1,</c> and NSec for <c>v1a,</c>.
/// </summary>
public class SignatureHeaderTests
{
    private const string First = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Second = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private const string Unknown = "whsec_ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
    private const string Seed = "whsk_nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";
    private const string Body = """{"order":42}""";

    private static readonly string Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();

    private static string Sign(SignatureHeader header) => header.Sign("evt_1.1", long.Parse(Now), Body)!;

    [Fact]
    public void One_secret_verifies_with_the_standard_webhooks_library()
    {
        var signature = Sign(new SignatureHeader([new WebhookSigner(First)], null));

        Assert.StartsWith("v1,", signature, StringComparison.Ordinal);
        Assert.DoesNotContain(' ', signature);
        Assert.True(WebhookVerifier.VerifiesWithSecret(First, "evt_1.1", Now, signature, Body));
        Assert.False(WebhookVerifier.VerifiesWithSecret(Unknown, "evt_1.1", Now, signature, Body));
    }

    [Fact]
    public void Several_secrets_give_one_signature_each_and_a_receiver_knowing_any_one_verifies()
    {
        var signature = Sign(new SignatureHeader([new WebhookSigner(First), new WebhookSigner(Second)], null));

        Assert.Equal(2, signature.Split(' ').Where(part => part.StartsWith("v1,", StringComparison.Ordinal)).Distinct().Count());
        Assert.True(WebhookVerifier.VerifiesWithSecret(First, "evt_1.1", Now, signature, Body));
        Assert.True(WebhookVerifier.VerifiesWithSecret(Second, "evt_1.1", Now, signature, Body));
        Assert.False(WebhookVerifier.VerifiesWithSecret(Unknown, "evt_1.1", Now, signature, Body));
        Assert.False(WebhookVerifier.VerifiesWithSecret(First, "evt_1.1", Now, signature, Body + " "));
    }

    [Fact]
    public void A_key_adds_a_v1a_signature_that_verifies_with_its_public_key_beside_the_secrets()
    {
        using var key = new Ed25519Signer(Seed);
        var signature = Sign(new SignatureHeader([new WebhookSigner(First)], key));

        var parts = signature.Split(' ');
        Assert.Equal(2, parts.Length);
        Assert.StartsWith("v1a,", parts[1], StringComparison.Ordinal);
        Assert.True(WebhookVerifier.VerifiesWithPublicKey(key.PublicKey, "evt_1.1", Now, signature, Body));
        Assert.False(WebhookVerifier.VerifiesWithPublicKey(key.PublicKey, "evt_1.2", Now, signature, Body));

        // The library skips the v1a entry it does not know and still finds the v1 one.
        Assert.True(WebhookVerifier.VerifiesWithSecret(First, "evt_1.1", Now, signature, Body));
    }

    [Fact]
    public void The_standard_webhooks_package_never_reads_the_last_of_several_entries_hence_the_repeated_first()
    {
        var signature = Sign(new SignatureHeader([new WebhookSigner(First), new WebhookSigner(Second)], null));
        var parts = signature.Split(' ');

        Assert.Equal([parts[0], parts[1], parts[0]], parts);

        // Without the repeat, a receiver on the package that knows only the second secret refuses the webhook.
        // When this starts passing, the package reads every entry and the repeat can go.
        Assert.False(WebhookVerifier.VerifiesWithSecret(Second, "evt_1.1", Now, $"{parts[0]} {parts[1]}", Body));
    }

    [Fact]
    public void A_key_alone_signs_with_v1a_only()
    {
        using var key = new Ed25519Signer(Seed);

        var signature = Sign(new SignatureHeader([], key));

        Assert.StartsWith("v1a,", signature, StringComparison.Ordinal);
        Assert.DoesNotContain(' ', signature);
        Assert.True(WebhookVerifier.VerifiesWithPublicKey(key.PublicKey, "evt_1.1", Now, signature, Body));
    }

    [Fact]
    public void Nothing_to_sign_with_gives_no_header()
    {
        var header = new SignatureHeader([], null);

        Assert.True(header.IsEmpty);
        Assert.Null(header.Sign("evt_1.1", 1, Body));
    }
}
