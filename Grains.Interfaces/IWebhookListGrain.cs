namespace Eventd.Grains.Interfaces;

/// <summary>Pages a project's hooks, newest first, from the index their grains write. Any key works; the gateway uses 0.</summary>
[Alias("Eventd.IWebhookListGrain")]
public interface IWebhookListGrain : IGrainWithIntegerKey
{
    /// <summary>Page <paramref name="page"/> (from 1) of <paramref name="pageSize"/> hooks of <paramref name="project"/>.</summary>
    [Alias("Page")]
    Task<WebhookPage> Page(string project, int page, int pageSize);
}
