namespace Eventd.Grains;

public static class StorageNames
{
    /// <summary>The grain storage every Eventd grain persists to (Redis in a silo).</summary>
    public const string Default = "eventd";
}
