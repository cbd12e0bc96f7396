using System.Collections;
using System.Text.Json.Serialization.Metadata;

namespace Eventd.Silo.Hosting;

/// <summary>
/// Leaves out of stored JSON each property still at the value a new object of its type starts with (its
/// initializer's, or the type's default): reading the JSON back creates that object, so the property
/// comes back as it was. An empty collection counts as its type's starting empty one. A property
/// without a setter is computed and never read back, so it is left out too. Required properties, and
/// types created through a constructor with parameters, are always written whole.
/// </summary>
internal static class InitialValues
{
    public static void LeaveOut(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || type.CreateObject is null)
        {
            return;
        }

        var fresh = type.CreateObject();
        foreach (var property in type.Properties)
        {
            if (property.Get is null || property.IsRequired)
            {
                continue;
            }

            if (property.Set is null)
            {
                // Computed (Succeeded, Status): reading never sets it, so storing it only costs bytes.
                property.ShouldSerialize = static (_, _) => false;
                continue;
            }

            property.ShouldSerialize = property.Get(fresh) switch
            {
                null => static (_, value) => value is not null,
                ICollection { Count: 0 } => static (_, value) => value is not ICollection { Count: 0 },
                var initial => (_, value) => !Equals(initial, value),
            };
        }
    }
}
