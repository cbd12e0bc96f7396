namespace Eventd.Grains.Interfaces;

public static class DeliveryKeys
{
    /// <summary>The target name of the single webhook of an Eventd v1 event.</summary>
    public const string Webhook = "webhook";

    public static string For(string eventId, int seq, string target) => $"{eventId}/{seq}/{target}";
}
