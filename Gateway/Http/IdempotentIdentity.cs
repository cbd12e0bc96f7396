using System.Security.Cryptography;
using System.Text;

namespace Eventd.Gateway.Http;

/// <summary>
/// Idempotency by identity (DESIGN.md): what a route creates under an <c>Idempotency-Key</c> takes an id
/// derived from (project, key), so a retry after any crash, through any gateway, lands on the object the
/// first attempt made (or was making) and creates nothing new.
/// </summary>
public static class IdempotentIdentity
{
    private const string ItemKey = "Eventd.IdempotentIdentity";

    /// <summary>The 32-hex id of what (project, key) creates: the first half of a SHA-256, like a GUID's length.</summary>
    public static string Derive(string project, string key) => Hash32($"eventd/idempotency\n{project}\n{key}");

    /// <summary>The id of item <paramref name="index"/> of what was created as <paramref name="parentId"/> (a batch's events): stable for a re-run.</summary>
    public static string ItemOf(string parentId, int index) => Hash32($"eventd/batch-item\n{parentId}\n{index}");

    private static string Hash32(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 16);

    /// <summary>The id a route creates this request's object under: derived from its key, or a new one without a key.</summary>
    public static string IdFor(HttpContext context) => IdFor(context, static () => Guid.NewGuid().ToString("N"));

    /// <summary>As <see cref="IdFor(HttpContext)"/>, a new id made by <paramref name="mint"/>.</summary>
    public static string IdFor(HttpContext context, Func<string> mint) =>
        context.Items.TryGetValue(ItemKey, out var id) && id is string derived ? derived : mint();

    internal static void Attach(HttpContext context, string project, string key) => context.Items[ItemKey] = Derive(project, key);
}
