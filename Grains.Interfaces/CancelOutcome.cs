namespace Eventd.Grains.Interfaces;

[GenerateSerializer, Alias("Eventd.CancelOutcome")]
public enum CancelOutcome
{
    NotFound = 0,
    Cancelled = 1,
}
