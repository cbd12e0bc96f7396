using Eventd.Grains.Interfaces.Options;
using Eventd.Grains.Signing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Eventd.Tests.Unit;

/// <summary><c>Eventd:Delivery:SigningSecret(s)</c>, <c>SigningKey</c> and <c>RotationOverlap</c>, bound and validated as a silo does.</summary>
public class SigningOptionsTests
{
    private const string First = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Second = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private static DeliveryOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section).ValidateDataAnnotations();
        return services.BuildServiceProvider().GetRequiredService<IOptions<DeliveryOptions>>().Value;
    }

    [Fact]
    public void Secrets_come_from_the_spaced_setting_and_the_list_in_order()
    {
        var options = Bind(new()
        {
            ["Eventd:Delivery:SigningSecret"] = $"{First}  {Second}",
            ["Eventd:Delivery:SigningSecrets:0"] = Second,
        });

        Assert.Equal([First, Second, Second], options.ConfiguredSecrets());
        using var signing = new ConfiguredSigning(Options.Create(options));
        Assert.Equal(3, signing.Header.SecretCount);
        Assert.Empty(signing.PublicKeys);
    }

    [Fact]
    public void A_configured_key_gives_one_public_key_and_the_overlap_defaults_to_a_day()
    {
        var options = Bind(new() { ["Eventd:Delivery:SigningKey"] = "whsk_nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=" });

        using var signing = new ConfiguredSigning(Options.Create(options));
        Assert.Equal(["whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="], signing.PublicKeys);
        Assert.Equal(TimeSpan.FromDays(1), options.RotationOverlap);
    }

    [Theory]
    [InlineData("Eventd:Delivery:SigningSecret", $"{First} nope", "Eventd:Delivery:SigningSecret")]
    [InlineData("Eventd:Delivery:SigningSecrets:0", "whsec_***", "Eventd:Delivery:SigningSecrets:0")]
    [InlineData("Eventd:Delivery:SigningKey", "whsk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==", "Eventd:Delivery:SigningKey")]
    [InlineData("Eventd:Delivery:SigningKey", "whsec_nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=", "Eventd:Delivery:SigningKey")]
    [InlineData("Eventd:Delivery:RotationOverlap", "-00:00:01", "Eventd:Delivery:RotationOverlap")]
    public void A_bad_setting_stops_the_silo_naming_its_key(string key, string value, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { [key] = value }));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
