using System.Text.Json;

namespace Eventd.Gateway.Http;

/// <summary>A body's fields outside the known ones, named in one error: a typo never passes silently.</summary>
public static class UnknownFields
{
    public static string? In(JsonElement body, ICollection<string> known)
    {
        var unknown = body.EnumerateObject().Select(p => p.Name).Where(n => !known.Contains(n)).ToList();
        return unknown.Count == 0 ? null : $"{string.Join(", ", unknown)}: unknown field{(unknown.Count > 1 ? "s" : "")}";
    }
}
