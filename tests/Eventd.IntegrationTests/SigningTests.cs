using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Eventd.TestSupport;

namespace Eventd.IntegrationTests;

/// <summary>
/// API.md "Signatures, rotation and keys" on real webhooks, checked as receivers would: with the
/// StandardWebhooks package for <c>v1,</c> and the public key the gateway publishes for <c>v1a,</c>.
/// </summary>
[Collection(SigningClusterCollection.Name)]
public sealed class SigningTests(SigningClusterFixture fixture)
{
    private const string Admin = SigningClusterFixture.AdminKey;
    private const string Configured = EventdCluster.SigningSecret;
    private const string SecondConfigured = SigningClusterFixture.SecondSecret;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private EventdCluster Eventd => fixture.Eventd;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private async Task<string> PublicKeyAsync()
    {
        using var response = await Eventd.Http.GetAsync("/eventd/v1/signing-keys");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.True(body.GetProperty("ok").GetBoolean());
        return Assert.Single(body.GetProperty("keys").EnumerateArray()).GetString()!;
    }

    /// <summary>Creates an event with <paramref name="key"/> (so in its project) and waits for its webhook.</summary>
    private async Task<ReceivedRequest> WebhookAsync(string key, object? timestamp = null)
    {
        var path = $"/signed/{Guid.NewGuid():N}";
        object body = timestamp is null
            ? new { url = Eventd.Receiver.Url(path), data = new { n = 1 } }
            : new { url = Eventd.Receiver.Url(path), data = new { n = 1 }, timestamp };
        using var created = await Eventd.SendWithKeyAsync(HttpMethod.Post, "/eventd/v1/events", key, JsonContent.Create(body));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await Poll.UntilAsync(() => Eventd.Receiver.ReceivedOn(path).Count == 1, Deadline + TimeSpan.FromSeconds(30), "the webhook");
        return Eventd.Receiver.ReceivedOn(path)[0];
    }

    [Fact]
    public async Task Every_webhook_carries_a_v1_per_configured_secret_and_a_v1a_that_verifies_with_the_published_key()
    {
        var publicKey = await PublicKeyAsync();

        var webhook = await WebhookAsync(Admin);

        Assert.Equal(2, webhook.Header("webhook-signature")!.Split(' ').Count(s => s.StartsWith("v1,", StringComparison.Ordinal)));
        Assert.True(WebhookVerifier.VerifiesWithSecret(Configured, webhook));
        Assert.True(WebhookVerifier.VerifiesWithSecret(SecondConfigured, webhook));
        Assert.True(WebhookVerifier.VerifiesWithPublicKey(publicKey, webhook));
        Assert.False(WebhookVerifier.VerifiesWithSecret("whsec_ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=", webhook));
    }

    [Fact]
    public async Task A_rotated_project_signs_with_old_and_new_secrets_during_the_overlap_and_with_the_new_only_after()
    {
        var project = Unique("rotating");
        var key = await Eventd.CreateKeyAsync(Unique("key"), project);
        var publicKey = await PublicKeyAsync();

        using var rotate = await Eventd.SendWithKeyAsync(HttpMethod.Post, $"/v1/projects/{project}/signing-secret/rotate", key);
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        var secret = (await JsonAsync(rotate)).GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);

        using var read = await Eventd.SendWithKeyAsync(HttpMethod.Get, $"/v1/projects/{project}/signing-secret", key);
        var stored = await JsonAsync(read);
        Assert.Equal(secret, stored.GetProperty("secret").GetString());
        var createdAt = stored.GetProperty("createdAt").GetDateTimeOffset();
        var previousExpiresAt = stored.GetProperty("previousExpiresAt").GetDateTimeOffset();
        Assert.Equal(SigningClusterFixture.RotationOverlap, previousExpiresAt - createdAt);

        // During the overlap: a receiver that knows only the old (configured) secret, and one that knows only the new, both verify.
        var during = await WebhookAsync(key);
        Assert.True(during.At < previousExpiresAt, "the first webhook came after the overlap: the machine is too slow for this test");
        Assert.True(WebhookVerifier.VerifiesWithSecret(Configured, during));
        Assert.True(WebhookVerifier.VerifiesWithSecret(SecondConfigured, during));
        Assert.True(WebhookVerifier.VerifiesWithSecret(secret, during));
        Assert.True(WebhookVerifier.VerifiesWithPublicKey(publicKey, during));

        // After it: only the new one.
        var after = await WebhookAsync(key, timestamp: previousExpiresAt.AddSeconds(1).ToString("O"));
        Assert.True(WebhookVerifier.VerifiesWithSecret(secret, after));
        Assert.False(WebhookVerifier.VerifiesWithSecret(Configured, after));
        Assert.False(WebhookVerifier.VerifiesWithSecret(SecondConfigured, after));
        Assert.True(WebhookVerifier.VerifiesWithPublicKey(publicKey, after));

        // Another project's webhooks keep the configured secrets.
        var other = await WebhookAsync(Admin);
        Assert.True(WebhookVerifier.VerifiesWithSecret(Configured, other));
        Assert.False(WebhookVerifier.VerifiesWithSecret(secret, other));
    }

    [Fact]
    public async Task Signing_secret_routes_name_the_field_refuse_other_projects_and_need_a_key()
    {
        var project = Unique("never");
        var otherKey = await Eventd.CreateKeyAsync(Unique("key"), Unique("other"));

        using var bad = await Eventd.SendWithKeyAsync(HttpMethod.Post, "/v1/projects/no%20spaces/signing-secret/rotate", Admin);
        using var never = await Eventd.SendWithKeyAsync(HttpMethod.Get, $"/v1/projects/{project}/signing-secret", Admin);
        using var foreign = await Eventd.SendWithKeyAsync(HttpMethod.Post, $"/v1/projects/{project}/signing-secret/rotate", otherKey);
        using var keyless = await Eventd.SendWithKeyAsync(HttpMethod.Get, $"/v1/projects/{project}/signing-secret", null);
        using var publicKeys = await Eventd.SendWithKeyAsync(HttpMethod.Get, "/eventd/v1/signing-keys", null);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.StartsWith("project:", (await JsonAsync(bad)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, never.StatusCode);
        Assert.StartsWith("project:", (await JsonAsync(never)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, keyless.StatusCode);
        Assert.Equal(HttpStatusCode.OK, publicKeys.StatusCode);

        // The refused rotation changed nothing.
        using var still = await Eventd.SendWithKeyAsync(HttpMethod.Get, $"/v1/projects/{project}/signing-secret", Admin);
        Assert.Equal(HttpStatusCode.NotFound, still.StatusCode);
    }
}
